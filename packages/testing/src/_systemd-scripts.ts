/**
 * Shell scripts that bring a user manager up inside a test host's mount namespace and take it
 * down again. Values arrive as positional parameters, so nothing is quoted into the text.
 */

/**
 * $1: the inner script, $2: a new cgroup directory in the machine's name=systemd hierarchy,
 * then the inner script's parameters. The shell joins that cgroup before unshare --cgroup, so
 * the cgroup namespace's root (and everything systemd creates) lies inside the test's own
 * directory: the machine's other cgroups are neither seen nor touched.
 */
export const ENTER_CGROUP_SCRIPT = 'set -e; inner=$1; cgroup=$2; shift 2; mkdir "$cgroup"; echo $$ > "$cgroup/cgroup.procs"; exec unshare --cgroup sh -c "$inner" sh "$@"';

/**
 * $1: log directory, $2: journald.conf to use, $3: the manager's HOME. Mounts stay in the host's
 * namespace: tmpfs on /run/user, /run/systemd and /run/log only (sshd needs the machine's
 * /run/sshd), on /var/log/journal (the machine's journal stays out of sight), and on
 * /sys/fs/cgroup with only the name=systemd hierarchy, rooted at the test's cgroup. journald
 * derives its cgroup root by stripping its own unit's path, and the manager finds its user
 * from user@0.service: both need exactly this layout to attribute a unit's lines to it.
 */
export const START_SCRIPT = `set -e
logs=$1; conf=$2; home=$3
for dir in /run/user /run/systemd /run/log; do mkdir -p "$dir"; mount -t tmpfs -o mode=755 tmpfs "$dir"; done
if [ -d /var/log/journal ]; then mount -t tmpfs -o mode=2755 tmpfs /var/log/journal; fi
if [ -f /etc/systemd/journald.conf ]; then mount --bind "$conf" /etc/systemd/journald.conf; fi
mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup
mkdir /sys/fs/cgroup/systemd
mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
journald=/sys/fs/cgroup/systemd/system.slice/systemd-journald.service
manager=/sys/fs/cgroup/systemd/user.slice/user-0.slice/user@0.service
mkdir -p /run/systemd/system /run/systemd/user /run/user/0 "$journald" "$manager"
chmod 700 /run/user/0
# Their own messages go to the log files, not to the machine's kernel log.
export SYSTEMD_LOG_TARGET=console
wait_for() {
  i=0
  while [ ! -S "$1" ]; do
    i=$((i + 1)); if [ $i -gt 100 ]; then echo "$2 did not create $1 within 10 s (see $logs)" >&2; exit 1; fi
    sleep 0.1
  done
}
# setsid: the daemons leave the caller's session; their output goes to files, so the caller's
# pipes close when this script ends.
sh -c 'echo $$ > "$0/cgroup.procs"; exec setsid "$1"' "$journald" /lib/systemd/systemd-journald </dev/null >>"$logs/journald.log" 2>&1 &
echo "journald $!"
wait_for /run/systemd/journal/stdout journald
HOME=$home XDG_RUNTIME_DIR=/run/user/0 sh -c 'echo $$ > "$0/cgroup.procs"; exec setsid "$1" --user' "$manager" /lib/systemd/systemd </dev/null >>"$logs/systemd.log" 2>&1 &
echo "manager $!"
wait_for /run/user/0/systemd/private "systemd --user"
`;

/** Undoes START_SCRIPT's mounts (innermost first) once the daemons are gone. */
export const UNMOUNT_SCRIPT = "for dir in /sys/fs/cgroup/systemd /sys/fs/cgroup /etc/systemd/journald.conf /var/log/journal /run/log /run/systemd /run/user; do umount \"$dir\" 2>/dev/null || true; done";

/** journald for a test: memory only, and no copy of the machine's kernel log. */
export const JOURNALD_CONF = "[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\nForwardToWall=no\n";
