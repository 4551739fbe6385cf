#!/bin/bash
# Deploys the sensor flow with v0.16's flags.
set -eu
rm -r /tmp/old-db
bazel-bin/sensor_max -w 2 -r /var/db -b 86400 --snapshot-interval 5
bazel-bin/sensor_max -w 2 \
  --recovery-directory=/var/db2 -s 10 -b 86400
BYTEWAX_SNAPSHOT_INTERVAL=5 bazel-bin/sensor_max
