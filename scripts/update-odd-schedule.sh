#!/usr/bin/env bash
# Regenerates the schedule table of docs/ODD.md §1.3, the lines between `<!-- schedule:begin -->`
# and `<!-- schedule:end -->`, from `gigsim schedule --format markdown`. The docs test
# `Docs.OddScheduleTableIsWhatGigsimSchedulePrints` fails while the two differ.
#
#   scripts/update-odd-schedule.sh [GIGSIM] [ODD.md]
#
# GIGSIM defaults to build/release/sim/cli/gigsim, ODD.md to docs/ODD.md (from the repository
# root). The file is replaced only when both markers are there once each, in order; otherwise it
# is left as it was and the script exits 2.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
gigsim=${1:-$root/build/release/sim/cli/gigsim}
odd=${2:-$root/docs/ODD.md}
begin='<!-- schedule:begin -->'
end='<!-- schedule:end -->'

if [[ ! -x $gigsim ]]; then
  echo "update-odd-schedule: no gigsim at $gigsim (build it: cmake --build build/release --target gigsim)" >&2
  exit 2
fi
if [[ $(grep -cxF "$begin" "$odd") != 1 || $(grep -cxF "$end" "$odd") != 1 ]] ||
  (($(grep -nxF "$begin" "$odd" | cut -d: -f1) > $(grep -nxF "$end" "$odd" | cut -d: -f1))); then
  echo "update-odd-schedule: $odd needs the lines '$begin' and '$end', once each, in that order" >&2
  exit 2
fi

table=$(mktemp)
updated=$(mktemp "$odd.XXXXXX")
trap 'rm -f "$table" "$updated"' EXIT
"$gigsim" schedule --format markdown >"$table"
awk -v begin="$begin" -v end="$end" -v table="$table" '
  $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
  $0 == end { skip = 0 }
  !skip { print }
' "$odd" >"$updated"
if cmp -s "$updated" "$odd"; then
  echo "update-odd-schedule: $odd is up to date"
else
  chmod --reference="$odd" "$updated"
  mv "$updated" "$odd"
  echo "update-odd-schedule: updated the schedule table in $odd"
fi
