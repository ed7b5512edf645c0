#!/usr/bin/env bash
# claimcheck sweeps as a SLURM job array of N shards plus a dependent merge. Run it from the checkout, on the login
# node, after `swift build -c release`:
#
#   docs/slurm-array.sh [--shards N] [--only LIST] [--output DIR] [reproduce arguments…]
#   docs/slurm-array.sh --shards 8 --scale full                  # every claim, 8 shards, into results/
#   docs/slurm-array.sh --shards 3 --scale quick --output results-quick psgd.rr-vs-replacement psgd.flipflop
#
# It prints the shard plan, creates the sweep's partials folder partials/<scale>-seed<seed>-<hash>-of-<N>/ (named after
# the sweep, so two sweeps never share one) with logs/ inside, submits the array (--array=1-N, or --only LIST) and a
# merge that runs once every task succeeded (afterok + --kill-on-invalid-dep: a failed or cancelled task cancels the
# merge instead of leaving it pending forever). Recovery: run the same command again — every task runs with --resume,
# so intact shards are skipped and only the missing ones compute — or resubmit one element with --only I.
#
# Under sbatch the same file is the array task (shard = task id of --shards N) and the merge job.
#SBATCH --job-name=claimcheck
#SBATCH --cpus-per-task=1
#SBATCH --time=02:00:00
#SBATCH --open-mode=append
#SBATCH --output=claimcheck-%A_%a.log
set -euo pipefail

bin="${CLAIMCHECK_BIN:-.build/release/claimcheck}"

if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # An array task: compute one shard. The binary is the pre-built one in the submit directory (no SwiftPM, no lock).
    cd "$SLURM_SUBMIT_DIR"
    export CLAIMCHECK_THREADS="${SLURM_CPUS_PER_TASK:-1}"
    exec "$bin" reproduce --resume "$@"
fi

if [ "${1:-}" = "--merge" ]; then
    # The dependent merge job: --merge <partials folder> [merge options].
    cd "$SLURM_SUBMIT_DIR"
    shift
    exec "$bin" merge "$@"
fi

# Submit mode (login node).
shards="" only="" output="" root="" partials=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --shards) shards="$2"; shift 2 ;;
        --shards=*) shards="${1#*=}"; shift ;;
        --only) only="$2"; shift 2 ;;
        --only=*) only="${1#*=}"; shift ;;
        --output) output="$2"; shift 2 ;;
        --output=*) output="${1#*=}"; shift ;;
        --partials) partials="$2"; args+=("$1" "$2"); shift 2 ;;
        --root) root="$2"; args+=("$1" "$2"); shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
shards="${shards:-8}"
scale=full
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in --scale) scale="${args[$((i + 1))]:-}" ;; --scale=*) scale="${args[$i]#*=}" ;; esac
done
if [ "$scale" != full ] && [ -z "$output" ]; then
    echo "slurm-array.sh: --scale $scale would overwrite the full-scale results; pass --output DIR" >&2
    exit 2
fi
[ -x "$bin" ] || { echo "slurm-array.sh: $bin not found; run 'swift build -c release' first (or set CLAIMCHECK_BIN)" >&2; exit 2; }

# The plan also validates every argument and config before anything is submitted.
plan=$("$bin" reproduce --plan --shards "$shards" "${args[@]}")
echo "$plan"
sweep=$(sed -n 's/^partials: //p' <<<"$plan")
[ -n "$partials" ] || args+=(--partials "$sweep")
mkdir -p "$sweep/logs"

merge_args=("$sweep")
[ -z "$output" ] || merge_args+=(--output "$output")
[ -z "$root" ] || merge_args+=(--root "$root")

array=$(sbatch --parsable --array="${only:-1-$shards}" --output="$sweep/logs/shard-%a.log" --open-mode=append \
    "$0" --shards "$shards" "${args[@]}")
merge=$(sbatch --parsable --job-name=claimcheck-merge --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --output="$sweep/logs/merge.log" --open-mode=append "$0" --merge "${merge_args[@]}")
echo "submitted: array $array (shards ${only:-1-$shards} of $shards), merge $merge; logs in $sweep/logs/"
