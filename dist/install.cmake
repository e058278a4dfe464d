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
