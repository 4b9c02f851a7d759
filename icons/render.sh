#!/bin/sh
# Renders every icons/src/*.svg to png/NAME-SIZE.png and the app icon to dist/steep-repl.{ico,icns}.
# The outputs are committed, so the Maven build needs none of these tools; run this after editing an SVG.
# Tools (Debian): librsvg2-bin (rsvg-convert), imagemagick (convert, for the ICO), icnsutils (png2icns).
set -eu
cd "$(dirname "$0")"
for tool in rsvg-convert convert png2icns; do
  command -v "$tool" >/dev/null 2>&1 || { echo "render.sh: $tool not found; apt-get install librsvg2-bin imagemagick icnsutils" >&2; exit 1; }
done
mkdir -p png dist
for svg in src/*.svg; do
  name=$(basename "$svg" .svg)
  for size in 16 22 24 32 48 64 128 256 512; do
    rsvg-convert -w "$size" -h "$size" -o "png/$name-$size.png" "$svg"
  done
done
# Windows: one .ico with the sizes Explorer and the taskbar pick from
convert png/steep-repl-16.png png/steep-repl-24.png png/steep-repl-32.png png/steep-repl-48.png \
        png/steep-repl-64.png png/steep-repl-128.png png/steep-repl-256.png dist/steep-repl.ico
# macOS: png2icns takes the sizes the format has slots for
png2icns dist/steep-repl.icns png/steep-repl-16.png png/steep-repl-32.png png/steep-repl-48.png \
        png/steep-repl-128.png png/steep-repl-256.png png/steep-repl-512.png >/dev/null
echo "rendered $(ls png | wc -l) PNGs, dist/steep-repl.ico, dist/steep-repl.icns"
