#!/usr/bin/env bash
# Run claimcheck's full-scale sweeps as a SLURM job array of 8 shards, then merge.
#   sbatch docs/slurm-array.sh          # the 8 shards
#   sbatch --dependency=afterok:<jobid> --wrap 'swift run -c release claimcheck merge partials/shard-*-of-8.json'
#SBATCH --job-name=claimcheck
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --output=partials/%x-%a.log
set -euo pipefail
export CLAIMCHECK_THREADS="${SLURM_CPUS_PER_TASK:-1}"
# claimcheck reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT itself;
# --resume skips a shard whose partial result is already complete (requeued tasks).
swift run -c release claimcheck reproduce --partials partials --resume
