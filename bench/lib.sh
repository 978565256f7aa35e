# Shared by the benchmark scripts (sourced).
#
# `synthetic_vcf FILE RECORDS SAMPLES SEED` writes the seeded synthetic input with $GEN (the
# built vcf_generate) once, indexed, and reuses it afterwards.
synthetic_vcf() {
  local file="$1" ext
  if [ ! -s "$file" ]; then
    "$GEN" --records "$2" --samples "$3" --seed "$4" --threads "$(nproc)" --index -o "$file.tmp.vcf.gz"
    mv "$file.tmp.vcf.gz" "$file"
    for ext in tbi csi; do [ -f "$file.tmp.vcf.gz.$ext" ] && mv "$file.tmp.vcf.gz.$ext" "$file.$ext"; done
  fi
  [ -f "$file.tbi" ] || [ -f "$file.csi" ] || tabix -p vcf "$file"
}

# `timed CMD` runs a shell command line $RUNS times
# under /usr/bin/time and sets MED (median wall seconds), RSS (largest peak RSS, MB) and OUT
# (the last run's stdout). A failing run stops the benchmark with its log, unless TOLERATE=1.
timed() {
  local walls=() rss=0 log r
  for ((r = 0; r < RUNS; r++)); do
    log=$(mktemp)
    if ! /usr/bin/time -v bash -c "$1" >"$log.out" 2>"$log"; then
      if [ "${TOLERATE:-0}" != 1 ]; then cat "$log" >&2; printf 'failed: %s\n' "$1" >&2; exit 1; fi
    fi
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")")
    rss=$(awk -F': ' -v r="$rss" '/Maximum resident set size/ {v=$2/1024; print (v>r)?v:r}' "$log")
    OUT=$(cat "$log.out")
    rm -f "$log" "$log.out"
  done
  MED=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}')
  RSS=$rss
}
