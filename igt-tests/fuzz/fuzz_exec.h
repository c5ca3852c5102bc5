/* SPDX-License-Identifier: MIT */
/*
 * Running the fuzzer's calls (fuzz_prog.h) in one process of a program:
 * its pools of live files, handles, mappings and fences, shared by its
 * threads, and the tally of outcomes, shared by every process of a
 * campaign.
 */
#ifndef VGEM_FUZZ_EXEC_H
#define VGEM_FUZZ_EXEC_H

#include <stdint.h>

#include "fuzz_prog.h"

/* Outcomes: 0 (success), an errno, or a signal taken while touching a mapping. */
#define FUZZ_OUTCOME_SIGNAL	200
#define FUZZ_OUTCOMES		(FUZZ_OUTCOME_SIGNAL + 64)

/**
 * struct fuzz_tally - what a campaign did, in memory shared by its processes
 * @programs: programs run to the end
 * @calls: calls made
 * @outcome: how often each operation had each outcome
 */
struct fuzz_tally {
	uint64_t programs;
	uint64_t calls;
	uint64_t outcome[FUZZ_NR_OPS][FUZZ_OUTCOMES];
};

struct fuzz_proc;

#define FUZZ_MAX_DEVICES	8

/**
 * fuzz_proc_new() - the state of one process of a program
 * @minors: the minors of the primary nodes of the vgem devices OPEN picks
 *	from (their render nodes are 128 above)
 * @devices: how many (at most FUZZ_MAX_DEVICES)
 * @sock_next: a unix socket to the next process (SEND_FD), or -1
 * @sock_prev: a unix socket from the previous process (RECV_FD), or -1
 * @tally: where calls and outcomes are counted
 *
 * Return: the state, or NULL when out of memory.
 */
struct fuzz_proc *fuzz_proc_new(const int *minors, unsigned int devices, int sock_next,
				int sock_prev, struct fuzz_tally *tally);

/**
 * fuzz_run_thread() - run @n calls in the calling thread of the process
 * @p; FORK runs the calls that follow it in a child too
 */
void fuzz_run_thread(struct fuzz_proc *p, const struct fuzz_call *calls, unsigned int n);

/**
 * fuzz_run_threads() - run @threads lists of @n calls, one a thread, at
 * once, with a watchdog that interrupts a call after 50 ms (SIGUSR1)
 *
 * Return: 0, or a negative errno when a thread could not be started.
 */
int fuzz_run_threads(struct fuzz_proc *p, struct fuzz_call *const *calls,
		     unsigned int threads, unsigned int n);

/** fuzz_distinct_outcomes() - how many (operation, outcome) pairs occurred */
unsigned int fuzz_distinct_outcomes(const struct fuzz_tally *tally);

#endif /* VGEM_FUZZ_EXEC_H */
