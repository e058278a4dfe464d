/*  pl_test — the checks every C test program of plenary uses.

    CHECK (cond) and CHECK_STR (got, want) stop the test function at the
    first failure: they print "FILE:LINE: cond" (or what was got and what
    was wanted) to stderr and run PL_TEST_ON_FAIL, by default "goto fail",
    so a test function ends with its cleanup under a fail: label.  A file
    whose test functions return -1 instead defines, before including this:

        #define PL_TEST_ON_FAIL return -1

    EXPECT (cond, format, ...) goes on after a failure: it prints the
    formatted message with the line and counts it in pl_test_failures,
    which the program's main turns into its exit status.  Nothing here
    allocates or owns anything. */
#ifndef PL_TEST_H_INCLUDED
#define PL_TEST_H_INCLUDED

#include <stdio.h>
#include <string.h>

#ifndef PL_TEST_ON_FAIL
#   define PL_TEST_ON_FAIL goto fail
#endif

#define CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
    PL_TEST_ON_FAIL; } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
    if (!g_ || strcmp (g_, w_)) { \
        fprintf (stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
                 g_ ? g_ : "(null)", w_); \
        PL_TEST_ON_FAIL; } } while (0)

//  The EXPECTs that failed so far in this program.
static int pl_test_failures __attribute__ ((unused)) = 0;

#define EXPECT(cond, ...) do { if (!(cond)) { pl_test_failures++; \
    fprintf (stderr, "%s:%d: FAIL ", __FILE__, __LINE__); fprintf (stderr, __VA_ARGS__); \
    fputc ('\n', stderr); } } while (0)

#endif
