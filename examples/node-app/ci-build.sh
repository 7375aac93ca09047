#!/bin/sh
# What CI runs before `fap run deploy -c deploy.ci.yml`, in a checkout of the app: build once,
# then put what runs, and only that, in build/: dist/, package.json, package-lock.json, the
# production dependencies installed here (`npm ci --omit=dev`), and REVISION (the commit).
# A real app runs `npm ci` first, for its build tools; this one's build tool, esbuild, is on the PATH.
set -eu
npm run build
rm -rf build
mkdir build
cp -R dist package.json package-lock.json build/
# The example's one dependency is a local package (no registry needed): --install-links copies
# it into node_modules instead of linking to vendor/, which does not ship.
cp -R vendor build/
(cd build && npm ci --omit=dev --install-links --no-audit --no-fund --loglevel=error && rm -rf vendor)
git rev-parse HEAD >build/REVISION
