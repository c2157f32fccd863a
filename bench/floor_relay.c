/* SPDX-License-Identifier: GPL-2.0-or-later
 * The floor of a user-space relay (issue 18, part 3): plain TCP, no TLS, one thread per
 * direction doing blocking read() and write() with a 64 KiB buffer. bench/compare.sh runs it
 * as the reference row "floor": what any relay that moves its bytes through user space pays
 * in system calls and kernel time, before any cryptography.
 *
 *   floor_relay relay LISTEN_PORT TARGET_PORT
 *       accepts on 127.0.0.1:LISTEN_PORT, connects each client to 127.0.0.1:TARGET_PORT;
 *       an EOF becomes a half-close (shutdown(SHUT_WR)) on the other side.
 *   floor_relay load up|down PORT SECONDS STREAMS CHUNK RATE_MBPS
 *       the plain-TCP load for it: STREAMS connections writing CHUNK-byte blocks (up, paced
 *       to RATE_MBPS over all streams when it is not 0) or reading (down) for SECONDS;
 *       prints one summary line in the format of `tlsmux bench bulk`.
 *
 * Build: cc -O2 -pthread -o floor_relay bench/floor_relay.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE 65536

static int dial(int port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr*)&a, sizeof a) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static int write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* ---- relay ---------------------------------------------------------------------------- */

struct pipe_dir {
  int from, to;
  struct pipe_dir* peer; /* the other direction; the last one to finish closes both */
  pthread_mutex_t* lock;
  int* left;
};

static void* pump(void* arg) {
  struct pipe_dir* d = arg;
  char* buf = malloc(BUF_SIZE);
  ssize_t n;
  int last;
  while (buf != NULL) {
    n = read(d->from, buf, BUF_SIZE);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || write_all(d->to, buf, (size_t)n) != 0) break;
  }
  free(buf);
  shutdown(d->to, SHUT_WR);
  pthread_mutex_lock(d->lock);
  last = --*d->left == 0;
  pthread_mutex_unlock(d->lock);
  if (last) {
    close(d->from);
    close(d->to);
    pthread_mutex_destroy(d->lock);
    free(d->lock);
    free(d->left);
    free(d->peer < d ? d->peer : d); /* the pair was allocated as one array */
  }
  return NULL;
}

static int run_relay(int listen_port, int target_port) {
  struct sockaddr_in a;
  int one = 1, ls = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)listen_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (ls < 0 || bind(ls, (struct sockaddr*)&a, sizeof a) != 0 || listen(ls, 128) != 0) {
    perror("floor_relay: listen");
    return 1;
  }
  for (;;) {
    int c = accept(ls, NULL, NULL), t;
    struct pipe_dir* d;
    pthread_t th;
    pthread_attr_t attr;
    if (c < 0) continue;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    t = dial(target_port);
    if (t < 0) {
      close(c);
      continue;
    }
    d = calloc(2, sizeof *d);
    d[0].lock = malloc(sizeof *d[0].lock);
    d[0].left = malloc(sizeof *d[0].left);
    pthread_mutex_init(d[0].lock, NULL);
    *d[0].left = 2;
    d[1].lock = d[0].lock;
    d[1].left = d[0].left;
    d[0].from = c; d[0].to = t; d[0].peer = &d[1];
    d[1].from = t; d[1].to = c; d[1].peer = &d[0];
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&th, &attr, pump, &d[0]);
    pthread_create(&th, &attr, pump, &d[1]);
    pthread_attr_destroy(&attr);
  }
}

/* ---- load ----------------------------------------------------------------------------- */

struct load {
  int fd, up;
  double seconds, rate; /* bytes per second for this stream, 0: unpaced */
  size_t chunk;
  unsigned long long bytes;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void* load_stream(void* arg) {
  struct load* l = arg;
  char* buf = malloc(l->chunk > BUF_SIZE ? l->chunk : BUF_SIZE);
  double t0 = now(), t;
  memset(buf, 'x', l->chunk);
  while ((t = now() - t0) < l->seconds) {
    if (l->up) {
      if (l->rate > 0) {
        double due = (double)l->bytes / l->rate;
        if (due > t) {
          struct timespec ts;
          ts.tv_sec = (time_t)(due - t);
          ts.tv_nsec = (long)((due - t - (double)ts.tv_sec) * 1e9);
          nanosleep(&ts, NULL);
          continue;
        }
      }
      if (write_all(l->fd, buf, l->chunk) != 0) break;
      l->bytes += l->chunk;
    } else {
      ssize_t n = read(l->fd, buf, BUF_SIZE);
      if (n <= 0) break;
      l->bytes += (unsigned long long)n;
    }
  }
  free(buf);
  return NULL;
}

static int run_load(int argc, char** argv) {
  int up = strcmp(argv[2], "up") == 0, port = atoi(argv[3]), streams = atoi(argv[5]), i;
  double seconds = atof(argv[4]), rate = atof(argv[7]), t0;
  size_t chunk = (size_t)atol(argv[6]);
  struct load* l;
  pthread_t* th;
  unsigned long long total = 0;
  (void)argc;
  if (streams < 1 || seconds <= 0 || chunk < 1 || chunk > BUF_SIZE) {
    fprintf(stderr, "floor_relay: bad load arguments\n");
    return 2;
  }
  l = calloc((size_t)streams, sizeof *l);
  th = calloc((size_t)streams, sizeof *th);
  for (i = 0; i < streams; ++i) {
    l[i].fd = dial(port);
    if (l[i].fd < 0) {
      printf("error=\"cannot connect to 127.0.0.1:%d\"\n", port);
      return 1;
    }
    l[i].up = up;
    l[i].seconds = seconds;
    l[i].rate = rate * 1e6 / streams;
    l[i].chunk = chunk;
  }
  t0 = now();
  for (i = 0; i < streams; ++i) pthread_create(&th[i], NULL, load_stream, &l[i]);
  for (i = 0; i < streams; ++i) {
    pthread_join(th[i], NULL);
    total += l[i].bytes;
  }
  seconds = now() - t0;
  printf("mode=bulk dir=%s streams=%d size=%zu bytes=%llu seconds=%.3f MB/s=%.1f tls=none cipher=none socks=no%s",
         up ? "up" : "down", streams, chunk, total, seconds, (double)total / 1e6 / seconds,
         rate > 0 ? "" : "\n");
  if (rate > 0) printf(" rate=%.0f\n", rate);
  for (i = 0; i < streams; ++i) close(l[i].fd);
  return total > 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc == 4 && strcmp(argv[1], "relay") == 0) return run_relay(atoi(argv[2]), atoi(argv[3]));
  if (argc == 8 && strcmp(argv[1], "load") == 0) return run_load(argc, argv);
  fprintf(stderr, "usage: floor_relay relay LISTEN_PORT TARGET_PORT\n"
                  "       floor_relay load up|down PORT SECONDS STREAMS CHUNK RATE_MBPS\n");
  return 2;
}
