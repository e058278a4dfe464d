#!/usr/bin/env bash
# gateway_tls — where the gateway may listen, and HTTPS, black box.
#
# 1. The address policy, with no bind at all: plain HTTP on an address
#    other than loopback (--http or PLENARY_HTTP) exits 2 and names both
#    ways out; --behind-proxy needs an https:// public URL; certificates
#    and keys that cannot be used exit 2 saying which file and why; a key
#    others may read is a warning.
# 2. HTTPS on loopback with a self-signed certificate made here: curl
#    --cacert gets the feed, whose SOURCE is https; plain HTTP to the TLS
#    port gets no answer.
#    Behind a proxy: X-Forwarded-For names the client of a loopback peer in
#    the log, never an address that is not one.
# 3. In a network namespace (root and `ip netns` only, else skipped with a
#    message): a real non-loopback address is refused without TLS, served
#    with TLS, served in plain HTTP with --insecure, which says so, and
#    behind a proxy, where a peer that is not loopback is not believed.
. "$(dirname "$0")/harness.sh"
command -v openssl >/dev/null || pl_fail "openssl is not installed (scripts/build.sh installs it)"
T=$PL_TMP
mkdir -p "$T/gw"

# expect_exit2 PATTERN COMMAND...: COMMAND exits 2 with PATTERN on stderr
# (within 10 s: a gateway that starts instead would serve until stopped)
expect_exit2 () {
    local pattern=$1; shift
    timeout 10 "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    [ "$rc" = 2 ] || pl_fail "'$*' exited $rc, want 2: $(cat "$T/err")"
    grep -q -- "$pattern" "$T/err" || pl_fail "'$*': stderr lacks '$pattern': $(cat "$T/err")"
}

# cert NAME SAN...: a self-signed EC certificate and key, T/NAME.crt and T/NAME.key (0600)
cert () {
    local name=$1; shift
    local san
    san=$(IFS=,; echo "$*")
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj "/CN=plenary test" -addext "subjectAltName=$san" \
        -keyout "$T/$name.key" -out "$T/$name.crt" >/dev/null 2>&1 || pl_fail "openssl: $name"
    chmod 600 "$T/$name.key"
}
cert local IP:127.0.0.1 DNS:localhost
cert other IP:127.0.0.1

# ---- 1. the address policy and the certificate checks
GW=(plenary-gateway --data "$T/gw" --endpoint tcp://127.0.0.1:9 --pub tcp://127.0.0.1:9)
for address in 0.0.0.0:0 ':0' '[::]:0' 192.0.2.1:7180; do
    expect_exit2 "not a loopback address" "${GW[@]}" --http "$address"
    grep -q -- "--tls-cert FILE --tls-key FILE" "$T/err" && grep -q -- "--behind-proxy" "$T/err" \
        || pl_fail "the refusal of $address does not name both ways out: $(cat "$T/err")"
done
expect_exit2 "not a loopback address" env PLENARY_HTTP=0.0.0.0:0 "${GW[@]}"
expect_exit2 "--public-url https://" "${GW[@]}" --http 0.0.0.0:0 --behind-proxy
expect_exit2 "--public-url https://" "${GW[@]}" --http 127.0.0.1:0 --behind-proxy \
    --public-url http://meetings.example.org
expect_exit2 "go together" "${GW[@]}" --http 127.0.0.1:0 --tls-cert "$T/local.crt"
expect_exit2 "--tls-cert $T/none.crt: cannot read it" "${GW[@]}" --http 0.0.0.0:0 \
    --tls-cert "$T/none.crt" --tls-key "$T/local.key"
expect_exit2 "--tls-cert $T/local.key: not a PEM certificate" "${GW[@]}" --http 0.0.0.0:0 \
    --tls-cert "$T/local.key" --tls-key "$T/local.key"
expect_exit2 "--tls-key $T/local.crt: not a PEM private key" "${GW[@]}" --http 0.0.0.0:0 \
    --tls-cert "$T/local.crt" --tls-key "$T/local.crt"
expect_exit2 "--tls-key $T/other.key: does not match the certificate" "${GW[@]}" \
    --http 0.0.0.0:0 --tls-cert "$T/local.crt" --tls-key "$T/other.key"
expect_exit2 "speaks TLS, so its public address is https://" "${GW[@]}" --http 127.0.0.1:0 \
    --tls-cert "$T/local.crt" --tls-key "$T/local.key" --public-url http://127.0.0.1

# ---- 2. HTTPS on loopback
pl_start_broker "$T/data"
pl_start_records "$T/data"
pl_wait_records
pl_start_calendar "$T/data"
plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Thirteenth Meeting" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null \
    || pl_fail "meeting add"
# a key others may read: served, with a warning
cp "$T/local.key" "$T/shared.key"
chmod 640 "$T/shared.key"
plenary-gateway --data "$T/data" --endpoint "$PLENARY_ENDPOINT" --pub "$PLENARY_PUB" \
    --http '127.0.0.1:*' --tls-cert "$T/local.crt" --tls-key "$T/shared.key" \
    >>"$T/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$T/data/gateway.ready" || pl_fail "the TLS gateway wrote no gateway.ready"
grep -q "shared.key may be read by others than its owner (mode 0640); make it 0600" \
    "$T/gateway.log" || pl_fail "no warning for a key file others may read"
HTTP=$(sed -n 's/^http=//p' "$T/data/gateway.ready")
URL=$(sed -n 's/^url=//p' "$T/data/gateway.ready")
[ "$URL" = "https://$HTTP" ] || pl_fail "the public URL of a TLS gateway is $URL, not https://$HTTP"
FEED=$URL/ics/meetings/ccm-msp13.ics
feed () { curl -sf --cacert "$T/local.crt" -o "$T/feed.ics" "$FEED"; }
pl_poll 100 feed || pl_fail "no feed over HTTPS with the certificate as the only trust anchor"
grep -q "^SOURCE;VALUE=URI:https://$HTTP/ics/meetings/ccm-msp13.ics" "$T/feed.ics" \
    || pl_fail "the feed's SOURCE is not its https address: $(grep ^SOURCE "$T/feed.ics")"
curl -s -o /dev/null "$FEED" && pl_fail "curl trusted a self-signed certificate without --cacert"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$HTTP/ics/meetings/ccm-msp13.ics")
[ "$code" = 000 ] || pl_fail "plain HTTP to the TLS port was answered $code"
# TLS 1.1 refused by the server (the client's security level lowered, so
# that the refusal is not the client's own)
openssl s_client -connect "$HTTP" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' -CAfile "$T/local.crt" \
    </dev/null >"$T/tls11" 2>&1 && pl_fail "TLS 1.1 was accepted: $(grep -i protocol "$T/tls11")"
grep -q "Verify return code: 0" <(openssl s_client -connect "$HTTP" -tls1_3 -CAfile "$T/local.crt" \
    </dev/null 2>&1) || pl_fail "TLS 1.3 with the certificate did not verify"

# ---- behind a proxy: X-Forwarded-For names the client of a loopback peer
mkdir -p "$T/proxy"
PLENARY_LOG=debug plenary-gateway --data "$T/proxy" --endpoint "$PLENARY_ENDPOINT" \
    --pub "$PLENARY_PUB" --http '127.0.0.1:*' --behind-proxy \
    --public-url https://meetings.example.org >>"$T/proxy.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$T/proxy/gateway.ready" || pl_fail "the gateway behind a proxy did not start"
PROXIED=$(sed -n 's/^http=//p' "$T/proxy/gateway.ready")
grep -q "listening http=.* public_url=https://meetings.example.org .*per_ip_limit=0" \
    "$T/proxy.log" || pl_fail "behind a proxy: not the proxy's URL, or a per-address limit"
curl -s -o /dev/null -H 'X-Forwarded-For: 198.51.100.9, 203.0.113.7' "http://$PROXIED/x1" \
    || pl_fail "GET through the proxy"
curl -s -o /dev/null -H 'X-Forwarded-For: <script>' "http://$PROXIED/x2" || pl_fail "GET"
pl_poll 50 grep -q "client=203.0.113.7" "$T/proxy.log" \
    || pl_fail "the client a loopback proxy names is not the one logged: $(grep client= "$T/proxy.log")"
grep "client=" "$T/proxy.log" | grep -v "client=203.0.113.7\|client=127.0.0.1" \
    && pl_fail "a forwarded address that is no address was logged"

# ---- 3. a real non-loopback address, in a network namespace
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "SKIP: the network namespace part needs root and ip(8)"
    pl_pass "address policy and HTTPS on loopback"
    exit 0
fi
NS=plgw$$
OCTET=$(( $$ % 250 + 1 ))
HOST=10.231.$OCTET.1 INSIDE=10.231.$OCTET.2
if ! ip netns add "$NS" 2>"$T/netns.err"; then
    echo "SKIP: the network namespace part: ip netns add: $(cat "$T/netns.err")"
    pl_pass "address policy and HTTPS on loopback"
    exit 0
fi
trap 'ip netns del "$NS" 2>/dev/null; ip link del "$NS-h" 2>/dev/null; pl_cleanup' EXIT
ip link add "$NS-h" type veth peer name "$NS-i" \
    && ip link set "$NS-i" netns "$NS" \
    && ip addr add "$HOST/30" dev "$NS-h" && ip link set "$NS-h" up \
    && ip -n "$NS" addr add "$INSIDE/30" dev "$NS-i" && ip -n "$NS" link set "$NS-i" up \
    && ip -n "$NS" link set lo up || pl_fail "cannot set up the veth pair of $NS"
cert inside "IP:$INSIDE"
mkdir -p "$T/ns1" "$T/ns2"
expect_exit2 "not a loopback address" ip netns exec "$NS" "${GW[@]}" --http "$INSIDE:0"
ip netns exec "$NS" plenary-gateway --data "$T/ns1" --endpoint tcp://127.0.0.1:9 \
    --pub tcp://127.0.0.1:9 --http "$INSIDE:0" --tls-cert "$T/inside.crt" \
    --tls-key "$T/inside.key" >>"$T/ns1.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$T/ns1/gateway.ready" || pl_fail "the TLS gateway on $INSIDE did not start"
ADDRESS=$(sed -n 's/^http=//p' "$T/ns1/gateway.ready")
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$T/inside.crt" \
           "https://$ADDRESS/nothing")
[ "$code" = 404 ] || pl_fail "https://$ADDRESS across the namespace: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$ADDRESS/nothing")
[ "$code" = 000 ] || pl_fail "plain HTTP to $ADDRESS was answered $code"
ip netns exec "$NS" plenary-gateway --data "$T/ns2" --endpoint tcp://127.0.0.1:9 \
    --pub tcp://127.0.0.1:9 --http "$INSIDE:0" --insecure >>"$T/ns2.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$T/ns2/gateway.ready" || pl_fail "the --insecure gateway on $INSIDE did not start"
grep -q "PLAIN HTTP ON A NON-LOOPBACK ADDRESS" "$T/ns2.log" || pl_fail "--insecure said nothing"
ADDRESS=$(sed -n 's/^http=//p' "$T/ns2/gateway.ready")
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$ADDRESS/nothing")
[ "$code" = 404 ] || pl_fail "http://$ADDRESS with --insecure: $code"
# behind a proxy on any address; a peer that is not loopback names itself
mkdir -p "$T/ns3"
ip netns exec "$NS" env PLENARY_LOG=debug plenary-gateway --data "$T/ns3" \
    --endpoint tcp://127.0.0.1:9 --pub tcp://127.0.0.1:9 --http "$INSIDE:0" --behind-proxy \
    --public-url https://meetings.example.org >>"$T/ns3.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$T/ns3/gateway.ready" || pl_fail "--behind-proxy on $INSIDE did not start"
ADDRESS=$(sed -n 's/^http=//p' "$T/ns3/gateway.ready")
curl -s -o /dev/null --max-time 5 -H 'X-Forwarded-For: 203.0.113.7' "http://$ADDRESS/x3"
pl_poll 50 grep -q "GET /x3 status=404 client=$HOST\$" "$T/ns3.log" \
    || pl_fail "X-Forwarded-For trusted from $HOST: $(grep client= "$T/ns3.log")"
pl_pass "address policy, HTTPS on loopback and on $INSIDE"
