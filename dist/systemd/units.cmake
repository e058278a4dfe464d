# dist/systemd/units.cmake — run by `cmake --install` (dist/install.cmake):
# writes one systemd unit per program from plenary.service.in with the paths
# of the prefix being installed to (also one given with --prefix at install
# time), under PL_SYSTEMD_UNITDIR.  Expects PL_SOURCE, PL_BINDIR,
# PL_SYSTEMD_UNITDIR (either relative to the prefix), PL_CONFDIR.
foreach (dir PL_BINDIR PL_SYSTEMD_UNITDIR)
    if (NOT IS_ABSOLUTE "${${dir}}")
        set (${dir} "${CMAKE_INSTALL_PREFIX}/${${dir}}")
    endif ()
endforeach ()
set (requires "Requires=plenaryd.service\nAfter=plenaryd.service\n")
set (units
    "plenaryd|8|broker, the durable event log every program connects to|After=network.target\n|"
    "plenary-records|8|records worker (meetings, participants, statements, speakers)|${requires}|"
    "plenary-calendar|8|calendar worker (the iCalendar feeds)|${requires}|"
    "plenary-archive|8|archive worker (documents, outcomes, full-text search)|${requires}|"
    "plenary-gateway|8|HTTP gateway (web pages, feeds, JSON API)|${requires}|"
    # the mail worker runs only once a relay is named (plenary.conf's [notify]
    # smtp and from): its --check-config fails, and the unit is skipped,
    # without; its relay's login is in notify.env
    "plenary-notify|8|notify worker (e-mail through the relay named in plenary.conf)|${requires}|EnvironmentFile=-${PL_CONFDIR}/notify.env\nExecCondition=${PL_BINDIR}/plenary-notify --data %S/plenary --check-config\n")
foreach (unit IN LISTS units)
    string (REPLACE "|" ";" fields "${unit}")
    list (GET fields 0 PL_PROGRAM)
    list (GET fields 1 PL_SECTION)
    list (GET fields 2 PL_DESCRIPTION)
    list (GET fields 3 PL_UNIT_LINES)
    list (LENGTH fields count)
    set (PL_SERVICE_LINES "")
    if (count GREATER 4)
        list (GET fields 4 PL_SERVICE_LINES)
    endif ()
    set (PL_UNIT ${PL_PROGRAM}.service)
    set (path "$ENV{DESTDIR}${PL_SYSTEMD_UNITDIR}/${PL_UNIT}")
    message (STATUS "Installing: ${path}")
    configure_file ("${PL_SOURCE}/dist/systemd/plenary.service.in" "${path}" @ONLY)
    list (APPEND CMAKE_INSTALL_MANIFEST_FILES "${path}")
endforeach ()
