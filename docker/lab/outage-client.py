#!/usr/bin/python3
"""An independent client of one VIP, for measuring the outage clients see: it tries SMB or NFS through the VIP every
PERIOD seconds, whatever the earlier tries are doing, and prints one line per try as it ends:

    <start> <end> ok|failed <why>        (start and end in seconds since the epoch)

The tries are made by Samba's own client library (python3-samba: a guest session, a tree connect, a listing of the
share) and by libnfs (NFSv4: a mount of the path and a listing of it, as nfs-ls makes), each in a process forked from
this one: a try needs no program started, so a loaded machine delays its start and its end by milliseconds, not the
0.2-0.7 s smbclient takes to start. Each try is killed after LIMIT seconds (a try unanswered by then is not served
whatever comes after: a short LIMIT keeps a stalled server from piling up the client's own processes). It runs until
its stdin is closed.

    outage-client.py smb VIP SHARE [PERIOD [LIMIT]]
    outage-client.py nfs VIP PATH [PERIOD [LIMIT]]
"""
import ctypes
import os
import select
import signal
import sys
import time


def smb_try(vip, share):
    from samba.credentials import Credentials, DONT_USE_KERBEROS
    from samba.samba3 import libsmb_samba_internal as libsmb
    from samba.samba3 import param

    lp = param.get_context()  # Samba's client code reads its settings from this one (an s4 LoadParm leaves them unset)
    lp.load("/dev/null")
    creds = Credentials()
    creds.guess(lp)
    creds.set_anonymous()
    creds.set_kerberos_state(DONT_USE_KERBEROS)
    conn = libsmb.Conn(vip, share, lp, creds)
    conn.list("")


def nfs_try(vip, path):
    lib = ctypes.CDLL("libnfs.so.13")
    lib.nfs_init_context.restype = ctypes.c_void_p
    lib.nfs_get_error.restype = ctypes.c_char_p
    lib.nfs_get_error.argtypes = [ctypes.c_void_p]
    for name in ("nfs_set_version", "nfs_mount", "nfs_opendir", "nfs_closedir", "nfs_readdir"):
        getattr(lib, name).argtypes = None
    nfs = ctypes.c_void_p(lib.nfs_init_context())
    if not nfs:
        raise RuntimeError("nfs_init_context failed")
    lib.nfs_set_version(nfs, 4)
    if lib.nfs_mount(nfs, vip.encode(), path.encode()) != 0:
        raise RuntimeError("mount: " + lib.nfs_get_error(nfs).decode(errors="replace"))
    directory = ctypes.c_void_p()
    if lib.nfs_opendir(nfs, b"", ctypes.byref(directory)) != 0:
        raise RuntimeError("opendir: " + lib.nfs_get_error(nfs).decode(errors="replace"))
    lib.nfs_closedir(nfs, directory)


def one_line(text):
    return " ".join(str(text).split())[:200] or "failed"


def child(attempt, vip, target, out):
    try:
        attempt(vip, target)
        result = f"{time.time():.6f} ok -"
    except Exception as e:  # pylint: disable=broad-except
        result = f"{time.time():.6f} failed {one_line(e)}"
    os.write(out, result.encode())
    os._exit(0)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("smb", "nfs"):
        sys.exit(__doc__)
    kind, vip, target = sys.argv[1:4]
    period = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
    limit = float(sys.argv[5]) if len(sys.argv) > 5 else 1.6
    attempt = smb_try if kind == "smb" else nfs_try
    if kind == "smb":  # imported once here, so a forked try starts with the library loaded
        import samba.samba3.libsmb_samba_internal  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
        import samba.samba3.param  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    tries = {}  # read end of the try's pipe -> (pid, start)
    # Tries ended or killed, reaped without waiting: a loop blocked on a dying child would start the next tries late.
    ended = []
    def report(start, end, outcome, why):
        sys.stdout.write(f"{start:.6f} {end:.6f} {outcome} {why}\n")
        sys.stdout.flush()

    next_try = time.time()
    while True:
        now = time.time()
        if now >= next_try:
            read_end, write_end = os.pipe()
            start = time.time()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                child(attempt, vip, target, write_end)
            os.close(write_end)
            tries[read_end] = (pid, start)
            next_try = max(next_try + period, now)
        for read_end, (pid, start) in list(tries.items()):
            if time.time() - start > limit:
                os.kill(pid, signal.SIGKILL)
                ended.append(pid)
                os.close(read_end)
                del tries[read_end]
                report(start, time.time(), "failed", "killed")
        ended = [pid for pid in ended if os.waitpid(pid, os.WNOHANG) == (0, 0)]
        wait = max(0.0, next_try - time.time())
        readable, _, _ = select.select(list(tries) + [sys.stdin], [], [], wait)
        for read_end in readable:
            if read_end is sys.stdin:
                if not os.read(sys.stdin.fileno(), 4096):
                    for pid, _ in tries.values():
                        os.kill(pid, signal.SIGKILL)
                    return
                continue
            pid, start = tries.pop(read_end)
            data = os.read(read_end, 4096).decode(errors="replace").split(" ", 2)
            os.close(read_end)
            ended.append(pid)
            if len(data) == 3:
                report(start, float(data[0]), data[1], data[2])
            else:
                report(start, time.time(), "failed", "the try ended without a result")


if __name__ == "__main__":
    main()
