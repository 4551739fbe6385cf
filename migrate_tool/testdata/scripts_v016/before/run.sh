#!/bin/bash
# Deploys the sensor flow with v0.16's flags.
set -eu
rm -r /tmp/old-db
bazel-bin/sensor_max -w 2 --sqlite-directory /var/db --epoch-interval 5
bazel-bin/sensor_max -w 2 \
  --sqlite-directory=/var/db2
BYTEWAX_EPOCH_INTERVAL=5 bazel-bin/sensor_max
