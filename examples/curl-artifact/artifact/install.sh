#!/bin/sh
# Runs in the new release on each host after the artifact is extracted (curl_postinstall_script).
set -e
echo "installed $(cat VERSION) in $(pwd)" > INSTALLED
echo "install.sh: installed $(cat VERSION)"
