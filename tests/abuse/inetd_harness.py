#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A minimal inetd: accepts on 127.0.0.1 and forks COMMAND per connection with the socket as
# its standard input and output ("nowait" in inetd.conf, Accept=yes in systemd). Writes the
# port to PORTFILE once listening; runs until killed.
#
# usage: inetd_harness.py PORTFILE COMMAND ARGS...
import os
import signal
import socket
import sys


def main():
    portfile, cmd = sys.argv[1], sys.argv[2:]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = lsock.accept()
        if os.fork() == 0:
            lsock.close()
            os.dup2(conn.fileno(), 0)
            os.dup2(conn.fileno(), 1)
            conn.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.execv(cmd[0], cmd)
        conn.close()


if __name__ == "__main__":
    main()
