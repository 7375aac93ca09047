/** Lines of the script's own answer start with this; systemctl's output is only passed on for errors. */
export const MARK = "::fap-systemd::";

/** Lines of a failed unit's journal brought back. */
const JOURNAL_LINES = 20;

/** Exit codes of the script, read by `unitFailure()`. */
export const EXIT = {
  UNIT_MISSING: 10,
  ACTION_FAILED: 11,
  NO_SYSTEMCTL: 12,
} as const;

/**
 * Run on the host as `sh -c SCRIPT sh SCOPE ACTION DAEMON_RELOAD MIN_UPTIME TIMEOUT UNIT...`
 * (SCOPE: user or system; ACTION: restart, reload, reload-or-restart, or status to only look).
 * After the action it polls `systemctl show` until every unit has been active, with the same
 * main process and invocation, for MIN_UPTIME seconds (ok); one failed, waits to be restarted,
 * counts more restarts than at first, or ended (crashed; a crash loop never stays up); or
 * TIMEOUT passed. Prints, after MARK, one line per unit and the result; on failure, each unit's
 * journal: the crashed run's lines (by invocation id), else the unit's since the action (for
 * status, its last lines). journald may still be taking in a dead process's last lines: a few tries.
 */
export const SCRIPT = `
MARK='${MARK}'
scope=$1 action=$2 daemon_reload=$3 min=$4 timeout=$5
shift 5
command -v systemctl >/dev/null 2>&1 || { echo 'systemctl is not on the PATH' >&2; exit ${EXIT.NO_SYSTEMCTL}; }
if [ "$scope" = user ]; then
  # sudo -u and sessions without pam_systemd leave it unset; the user's manager listens there.
  XDG_RUNTIME_DIR=\${XDG_RUNTIME_DIR:-/run/user/$(id -u)}; export XDG_RUNTIME_DIR
  sc() { systemctl --user "$@"; }
  unit_match=--user-unit
else
  sc() { systemctl "$@"; }
  unit_match=--unit
fi
# The crashed run's own lines (a restarted unit's next run may already be writing), else the unit's since the action.
journal() {
  inv=\${crashed#* "$1":}; inv=\${inv%% *}
  case " $crashed " in *" $1:"?*) journalctl "_SYSTEMD_INVOCATION_ID=$inv" -n ${JOURNAL_LINES} -o cat --no-pager -q 2>/dev/null | grep . && return ;; esac
  journalctl "$unit_match=$1" \${since:+"--since=@$since"} -n ${JOURNAL_LINES} -o cat --no-pager -q 2>/dev/null
}
since=$(date +%s) crashed=
show() {
  active= sub= restarts=0 pid=0 status= result= invocation=
  while IFS= read -r line; do
    case $line in
      ActiveState=*) active=\${line#*=} ;; SubState=*) sub=\${line#*=} ;; NRestarts=*) restarts=\${line#*=} ;;
      MainPID=*) pid=\${line#*=} ;; ExecMainStatus=*) status=\${line#*=} ;; Result=*) result=\${line#*=} ;;
      InvocationID=*) invocation=\${line#*=} ;;
    esac
  done <<EOF
$(sc show -p ActiveState -p SubState -p NRestarts -p MainPID -p ExecMainStatus -p Result -p InvocationID -- "$1" 2>/dev/null)
EOF
}
report() {
  for unit in "$@"; do show "$unit"; echo "\${MARK}unit $unit $active $sub $restarts $pid \${status:--} \${result:--}"; done
  echo "\${MARK}result $outcome"
  [ "$outcome" = ok ] && exit 0
  sleep 0.3
  for unit in "$@"; do
    tries=0
    while lines=$(journal "$unit") && [ -z "$lines" ] && [ $tries -lt 5 ]; do sleep 0.2; tries=$((tries + 1)); done
    [ -n "$lines" ] && printf '%s%s %s\\n%s\\n' "$MARK" journal "$unit" "$lines"
  done
  exit 0
}
if [ "$action" = status ]; then
  # Nothing was done: the unit's last lines, whenever they were written.
  since= outcome=ok
  for unit in "$@"; do show "$unit"; [ "$active" = active ] || { outcome=crashed; crashed="$crashed $unit:$invocation"; }; done
  report "$@"
fi
if [ "$daemon_reload" = yes ]; then
  out=$(sc daemon-reload 2>&1) || { printf '%s\\n' "$out" >&2; exit ${EXIT.ACTION_FAILED}; }
fi
if ! out=$(sc "$action" -- "$@" 2>&1); then
  for unit in "$@"; do
    load=$(sc show -p LoadState --value -- "$unit" 2>/dev/null) || { printf '%s\\n' "$out" >&2; exit ${EXIT.ACTION_FAILED}; }
    [ "$load" = loaded ] || { printf '%s\\n' "$out" >&2; printf '%s is %s\\n' "$unit" "\${load:-unknown}" >&2; exit ${EXIT.UNIT_MISSING}; }
  done
  # Loaded, yet the job failed: the unit did not start, which the report shows.
  printf '%s\\n' "$out" >&2
  outcome=crashed; report "$@"
fi
firsts= previous= stable_since=
deadline=$(( $(date +%s) + timeout ))
while :; do
  now=$(date +%s) all_active=yes signature=
  for unit in "$@"; do
    show "$unit"
    case " $firsts " in *" $unit:"*) ;; *) firsts="$firsts $unit:$restarts" ;; esac
    first=\${firsts#* "$unit":}; first=\${first%% *}
    if [ "$active" = failed ] || [ "$sub" = auto-restart ] || [ "$restarts" -gt "$first" ] || [ "$active" = inactive ]; then
      crashed="$crashed $unit:$invocation"; outcome=crashed; report "$@"
    fi
    [ "$active" = active ] || all_active=no
    signature="$signature $unit:$pid:$invocation"
  done
  if [ $all_active = yes ]; then
    [ "$signature" = "$previous" ] || { previous=$signature; stable_since=$now; }
    [ $((now - stable_since)) -ge "$min" ] && { outcome=ok; report "$@"; }
  else
    previous=
  fi
  [ "$now" -ge "$deadline" ] && { outcome=timeout; report "$@"; }
  sleep 0.25
done
`;
