/* clients/cli_meeting.c: being written */
