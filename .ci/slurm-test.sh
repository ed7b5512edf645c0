#!/usr/bin/env bash
# A real single-node SLURM on localhost runs the documented job array (docs/slurm-array.sh) end to end:
#   1. munge + slurmctld + slurmd come up (private munge key and socket, private ports, state under /var/spool);
#   2. a 3-shard array at quick scale on a few claims, then the dependent merge; the merged results must equal a
#      single-process `claimcheck reproduce` byte for byte;
#   3. a second sweep with one task cancelled midway: the merge is cancelled with it (--kill-on-invalid-dep), and the
#      documented recovery (run the same command again) completes it, byte-identical again;
#   4. exactly the daemons started here are stopped, by pid.
# Skipped, with the reason printed, where SLURM cannot be installed (not root, no apt-get, no package).
# Uses the binary `swift test` just built (.build/debug/claimcheck; numeric targets are optimised even in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)

skip() { echo "slurm-test: SKIPPED — $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root to run slurmctld/slurmd"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || skip "slurm-wlm/munge not installed and no apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 || skip "apt-get install slurm-wlm munge failed"
fi
bin="${CLAIMCHECK_BIN:-$repo/.build/debug/claimcheck}"
[ -x "$bin" ] || swift build --product claimcheck >/dev/null
export CLAIMCHECK_BIN="$bin"

state=$(mktemp -d /var/spool/claimcheck-slurm.XXXXXX)
work=$(mktemp -d /tmp/claimcheck-slurm-work.XXXXXX)
pids=()
stop() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$status" != 0 ]; then
        echo "slurm-test: FAILED; daemon logs:" >&2
        tail -n 20 "$state"/log/* >&2 || true
    fi
    rm -rf "$state" "$work"
}
trap stop EXIT

# --- 1. daemons -----------------------------------------------------------------------------------------------------
mkdir -p "$state/munge" "$state/ctld" "$state/d" "$state/log"
chmod 700 "$state/munge"
dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$state/munge/munge.key"
munged --force --foreground --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
    --pid-file="$state/munge/munged.pid" --log-file="$state/log/munged.log" --seed-file="$state/munge/munged.seed" \
    >"$state/log/munged.out" 2>&1 &
pids+=($!)
free_port() { local p; for p in $(shuf -i 20000-40000 -n 50); do ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }; done; }
ctld_port=$(free_port); slurmd_port=$(free_port)
host=$(hostname -s)
memory=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) / 2 ))
export SLURM_CONF="$state/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=claimcheck-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmUser=root
SlurmdUser=root
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
for _ in $(seq 50); do [ -S "$state/munge/munge.socket" ] && break; sleep 0.1; done
slurmctld -D -f "$SLURM_CONF" >"$state/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$state/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 0.2; done
sinfo -h -o %T | grep -q idle || { echo "slurm-test: node never became idle" >&2; exit 1; }
echo "slurm-test: munged, slurmctld, slurmd up (pids ${pids[*]}) in $(( $(date +%s) - started )) s"

# Waits until none of the given jobs is in the queue (finished, failed or cancelled); at most $1 seconds.
wait_gone() {
    local limit=$1; shift
    for _ in $(seq $((limit * 5))); do
        [ -z "$(squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null)" ] && return 0
        sleep 0.2
    done
    echo "slurm-test: jobs $* still queued after $limit s" >&2; squeue >&2; return 1
}
jobs_of() { sed -n 's/^submitted: array \([0-9]*\) .*, merge \([0-9]*\);.*/\1 \2/p'; }

claims=(psgd.random-is-optimal threshold.lower-bounds)
"$bin" reproduce --scale quick --output "$work/single" "${claims[@]}" >/dev/null 2>"$work/single.err"

# --- 2. the documented array, verbatim: docs/slurm-array.sh [--shards N] [--output DIR] [reproduce args] -----------
export CLAIMCHECK_TEST_WRITE_PAUSE_MS=0
out=$(docs/slurm-array.sh --shards 3 --scale quick --output "$work/merged" --partials "$work/sweep-a" "${claims[@]}")
echo "$out" | sed 's/^/  /'
read -r array merge < <(jobs_of <<<"$out")
wait_gone 40 "$array" "$merge"
cat "$work/sweep-a/logs/merge.log" | sed 's/^/  merge: /'
diff -r "$work/single" "$work/merged"
echo "slurm-test: array + merge byte-identical to the single-process run"

# --- 3. cancel one task midway; the merge is cancelled with it; rerunning the same command recovers -------------------
# Each task holds its partial's temporary file for 4 s before renaming it, so the cancel lands mid-task.
export CLAIMCHECK_TEST_WRITE_PAUSE_MS=4000
out=$(docs/slurm-array.sh --shards 3 --scale quick --output "$work/recovered" --partials "$work/sweep-b" "${claims[@]}")
read -r array merge < <(jobs_of <<<"$out")
for _ in $(seq 150); do squeue -h -j "${array}_2" -o %T 2>/dev/null | grep -q RUNNING && break; sleep 0.2; done
scancel "${array}_2"
wait_gone 40 "$array" "$merge"
[ ! -e "$work/sweep-b/shard-2-of-3.json" ] || { echo "slurm-test: the cancelled shard wrote its partial" >&2; exit 1; }
[ ! -e "$work/recovered" ] || { echo "slurm-test: the merge ran although a task was cancelled" >&2; exit 1; }
ls -a "$work/sweep-b" | grep -q '^\.claimcheck-' && { echo "slurm-test: the cancelled task left a temporary file" >&2; exit 1; }
echo "slurm-test: task 2 cancelled; merge $merge cancelled with it (no output), no temporary left"
export CLAIMCHECK_TEST_WRITE_PAUSE_MS=0
out=$(docs/slurm-array.sh --shards 3 --scale quick --output "$work/recovered" --partials "$work/sweep-b" "${claims[@]}")
read -r array merge < <(jobs_of <<<"$out")
wait_gone 40 "$array" "$merge"
skipped=$(cat "$work"/sweep-b/logs/shard-*.log | grep -c "already complete, skipped" || true)
diff -r "$work/single" "$work/recovered"
echo "slurm-test: recovery by rerunning the same command: $skipped intact shards skipped, merged output byte-identical"
echo "slurm-test: passed in $(( $(date +%s) - started )) s"
