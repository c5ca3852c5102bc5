// SPDX-License-Identifier: MIT
/*
 * Running the fuzzer's programs in a process (fuzz_exec.h): its threads,
 * FORK's children, and the watchdog thread that interrupts a blocked call
 * (a dma-buf sync waiting for a fence) with a signal, so that waits end in
 * EINTR or when the fence is signalled.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_proc.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* SIGUSR1 interrupts a blocked call (no SA_RESTART); it does nothing else. */
static void on_interrupt(int sig)
{
	(void)sig;
}

static void install_handlers(void)
{
	struct sigaction sa = { .sa_handler = fuzz_on_fault };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = on_interrupt;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void count(struct fuzz_proc *p, enum fuzz_op op, int outcome)
{
	if (outcome < 0 || outcome >= FUZZ_OUTCOMES)
		outcome = FUZZ_OUTCOMES - 1;
	__atomic_fetch_add(&p->tally->calls, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&p->tally->outcome[op][outcome], 1, __ATOMIC_RELAXED);
}

/*
 * FORK: the child runs the next calls (up to 15) alone, a timer
 * interrupting whatever blocks, and exits; the parent waits for it. A
 * child killed by a signal fails the program: its status is the outcome.
 */
static int run_fork(struct fuzz_proc *p, const struct fuzz_call *rest, unsigned int n,
		    const struct fuzz_arg *a)
{
	struct itimerval tick = { { 0, 50000 }, { 0, 50000 } };
	unsigned int i, calls = a[0].value % 16;
	int status;
	pid_t pid;

	if (calls > n)
		calls = n;
	/*
	 * The pools must be consistent in the child: no other thread may be
	 * changing them. The child's copies of the locks may still record
	 * the parent's waiting threads, so it starts them afresh.
	 */
	pthread_rwlock_wrlock(&p->map_lock);
	pthread_mutex_lock(&p->lock);
	pid = fork();
	if (pid) {
		pthread_mutex_unlock(&p->lock);
		pthread_rwlock_unlock(&p->map_lock);
	}
	if (pid < 0)
		return errno;
	if (!pid) {
		pthread_mutex_init(&p->lock, NULL);
		pthread_rwlock_init(&p->map_lock, NULL);
		p->nr_threads = 0;	/* the watchdog did not come along */
		setitimer(ITIMER_REAL, &tick, NULL);
		for (i = 0; i < calls; i++)
			count(p, rest[i].op, rest[i].op == FUZZ_FORK ? 0 : fuzz_call_run(p, &rest[i]));
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	if (WIFSIGNALED(status))
		abort();	/* a crash of the child is the program's */
	return 0;
}

/* @me: the thread's index in busy_since[], -1 for none (no watchdog). */
static void run_thread(struct fuzz_proc *p, int me, const struct fuzz_call *calls,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (me >= 0)
			__atomic_store_n(&p->busy_since[me], now_ms(), __ATOMIC_RELAXED);
		if (calls[i].op == FUZZ_FORK)
			count(p, FUZZ_FORK, run_fork(p, calls + i + 1, n - i - 1, calls[i].arg));
		else
			count(p, calls[i].op, fuzz_call_run(p, &calls[i]));
		if (me >= 0)
			__atomic_store_n(&p->busy_since[me], 0, __ATOMIC_RELAXED);
	}
}

void fuzz_run_thread(struct fuzz_proc *p, const struct fuzz_call *calls, unsigned int n)
{
	install_handlers();
	run_thread(p, -1, calls, n);
}

struct thread_args {
	struct fuzz_proc *p;
	unsigned int index;
	const struct fuzz_call *calls;
	unsigned int n;
};

static void *thread_main(void *data)
{
	struct thread_args *t = data;

	/* Named before its first call, which is when the watchdog looks. */
	t->p->thread[t->index] = pthread_self();
	run_thread(t->p, t->index, t->calls, t->n);
	return NULL;
}

/* Interrupts (SIGUSR1) every thread whose call has run for 50 ms. */
static void *watchdog_main(void *data)
{
	struct fuzz_proc *p = data;
	struct timespec pause = { 0, 20 * 1000000 };
	unsigned int i;

	while (!__atomic_load_n(&p->stop, __ATOMIC_RELAXED)) {
		uint64_t now = now_ms();

		for (i = 0; i < p->nr_threads; i++) {
			uint64_t since = __atomic_load_n(&p->busy_since[i], __ATOMIC_RELAXED);

			if (since && now - since >= 50)
				pthread_kill(p->thread[i], SIGUSR1);
		}
		nanosleep(&pause, NULL);
	}
	return NULL;
}

int fuzz_run_threads(struct fuzz_proc *p, struct fuzz_call *const *calls,
		     unsigned int threads, unsigned int n)
{
	struct thread_args args[MAX_THREADS];
	pthread_t tid[MAX_THREADS], watchdog;
	unsigned int i, started;
	int ret = 0;

	if (threads > MAX_THREADS)
		return -EINVAL;
	install_handlers();
	p->nr_threads = threads;
	for (started = 0; started < threads; started++) {
		args[started] = (struct thread_args){ p, started, calls[started], n };
		ret = pthread_create(&tid[started], NULL, thread_main, &args[started]);
		if (ret)
			break;
	}
	if (!ret)
		ret = pthread_create(&watchdog, NULL, watchdog_main, p);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	if (started == threads && !ret) {
		__atomic_store_n(&p->stop, true, __ATOMIC_RELAXED);
		pthread_join(watchdog, NULL);
	}
	return -ret;
}

unsigned int fuzz_distinct_outcomes(const struct fuzz_tally *tally)
{
	unsigned int op, o, n = 0;

	for (op = 0; op < FUZZ_NR_OPS; op++)
		for (o = 0; o < FUZZ_OUTCOMES; o++)
			n += tally->outcome[op][o] != 0;
	return n;
}
