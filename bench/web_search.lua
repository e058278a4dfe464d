-- bench/web_search.lua — wrk asks the gateway the archive benches' searches.
--
--   wrk -s bench/web_search.lua http://HOST:PORT -- PATH QUERIES
--
-- PATH is /search (the page) or /api/search (its JSON twin); QUERIES a file
-- of query strings, one a line (pl-bench-archive --urls).  Each connection
-- asks them in turn from its own place in the list, so the same searches
-- are asked of either path in the same mix.  Every answer must be 200: the
-- others are counted and printed at the end (wrk counts them as
-- "Non-2xx or 3xx responses" too).
local threads = {}
local paths, at = {}, 0
refused = 0     -- a global: done() reads it from each thread

function setup (thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init (args)
    local path, file = args[1], args[2]
    if not path or not file then
        error("usage: wrk -s web_search.lua URL -- PATH QUERIES")
    end
    for line in io.lines(file) do
        if line ~= "" then table.insert(paths, path .. "?" .. line) end
    end
    if #paths == 0 then error("no queries in " .. file) end
    -- threads start apart in the list
    at = (id * 7919) % #paths
end

function request ()
    at = at % #paths + 1
    return wrk.format("GET", paths[at])
end

function response (status, headers, body)
    if status ~= 200 then refused = refused + 1 end
end

function done (summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do total = total + thread:get("refused") end
    io.write(string.format("answers other than 200: %d of %d\n", total, summary.requests))
    io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                           latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                           latency:percentile(99) / 1000, latency.max / 1000))
end
