# dist/install.cmake — what `cmake --install build [--prefix P]` puts where
# (included by the top CMakeLists.txt after every target is defined).
#
#   bin/                            plenary, plenaryd and every daemon, side by
#                                   side: `plenary up` starts the daemons found
#                                   beside itself
#   share/plenary/notify-templates  plenary-notify's messages, found relative to
#                                   the binary, so a prefix given at install
#                                   time works as well as the configured one
#
# Nothing else is read at run time: the event schema and the conventions are
# compiled in (schemas/), the gateway's pages, styles and translations too
# (gateway/gw_html.c, gw_i18n.c); time zones come from the system's tzdata.
include (GNUInstallDirs)

set (PL_DAEMONS plenaryd plenary-records plenary-calendar plenary-archive plenary-notify
                plenary-gateway)
install (TARGETS plenary ${PL_DAEMONS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set (PL_TEMPLATES_DIR ${CMAKE_INSTALL_DATADIR}/plenary/notify-templates)
install (DIRECTORY ${CMAKE_SOURCE_DIR}/workers/notify/templates/
         DESTINATION ${PL_TEMPLATES_DIR})
# the installed binary's own lookup: relative to bin/, then the configured path
file (RELATIVE_PATH PL_TEMPLATES_RELATIVE ${CMAKE_INSTALL_FULL_BINDIR}
      ${CMAKE_INSTALL_FULL_DATADIR}/plenary/notify-templates)
target_compile_definitions (plenary-notify PRIVATE
    PL_NOTIFY_TEMPLATES_RELATIVE="${PL_TEMPLATES_RELATIVE}")

# ---- man pages, made at build time from each program's --help by
# dist/help2roff.sh (plenary's page holds every command's --help too), so
# they cannot drift: plenary in section 1, the daemons in section 8
set (PL_MAN_PAGES "")
set (PL_SEE_ALSO "plenary(1)")
foreach (daemon IN LISTS PL_DAEMONS)
    list (APPEND PL_SEE_ALSO "${daemon}(8)")
endforeach ()
foreach (program plenary ${PL_DAEMONS})
    if (program STREQUAL "plenary")
        set (section 1)
    else ()
        set (section 8)
    endif ()
    set (see ${PL_SEE_ALSO})
    list (REMOVE_ITEM see "${program}(${section})")
    set (page ${CMAKE_BINARY_DIR}/man/${program}.${section})
    add_custom_command (OUTPUT ${page}
        COMMAND bash ${CMAKE_SOURCE_DIR}/dist/help2roff.sh ${section} ${PROJECT_VERSION}
                ${page} $<TARGET_FILE:${program}> ${see}
        DEPENDS ${program} ${CMAKE_SOURCE_DIR}/dist/help2roff.sh
        COMMENT "man page ${program}(${section}) from ${program} --help"
        VERBATIM)
    list (APPEND PL_MAN_PAGES ${page})
    install (FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach ()
file (MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/man)
add_custom_target (man-pages ALL DEPENDS ${PL_MAN_PAGES})

# ---- shell completion, made at build time from plenary's --help texts by
# dist/complete.sh (the commands every --help lists, the flags it names)
set (PL_BASH_COMPLETION ${CMAKE_BINARY_DIR}/completion/plenary)
set (PL_ZSH_COMPLETION ${CMAKE_BINARY_DIR}/completion/_plenary)
file (MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/completion)
add_custom_command (OUTPUT ${PL_BASH_COMPLETION} ${PL_ZSH_COMPLETION}
    COMMAND bash ${CMAKE_SOURCE_DIR}/dist/complete.sh $<TARGET_FILE:plenary>
            ${PL_BASH_COMPLETION} ${PL_ZSH_COMPLETION}
    DEPENDS plenary ${CMAKE_SOURCE_DIR}/dist/complete.sh
    COMMENT "bash and zsh completion from plenary's --help"
    VERBATIM)
add_custom_target (completion ALL DEPENDS ${PL_BASH_COMPLETION} ${PL_ZSH_COMPLETION})
install (FILES ${PL_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install (FILES ${PL_ZSH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)

# ---- systemd: one unit per program (dist/systemd/), written at install time
# with the prefix installed to; the configuration file's and the environment
# files' examples beside the documentation (an operator copies them to
# PL_CONFDIR: an install never writes configuration).  Data lives in /var/lib/plenary (StateDirectory=).
set (PL_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
     "Where cmake --install puts the systemd units (relative: to the prefix)")
set (PL_CONFDIR "/etc/plenary" CACHE PATH
     "Where every program reads plenary.conf and the units plenary.env and notify.env")
# the file every program reads when neither --config nor PLENARY_CONFIG names one
target_compile_definitions (plenary_common PRIVATE
    PL_SETTINGS_FILE="${PL_CONFDIR}/plenary.conf")
install (CODE "
    cmake_policy (PUSH)
    cmake_policy (VERSION 3.18)
    set (PL_SOURCE \"${CMAKE_SOURCE_DIR}\")
    set (PL_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
    set (PL_SYSTEMD_UNITDIR \"${PL_SYSTEMD_UNITDIR}\")
    set (PL_CONFDIR \"${PL_CONFDIR}\")
    include (\"${CMAKE_SOURCE_DIR}/dist/systemd/units.cmake\")
    cmake_policy (POP)")
install (FILES dist/plenary.conf dist/plenary.env dist/notify.env
         DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
