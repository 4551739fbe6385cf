#!/bin/bash
# v0.17 flags: v0.18 needs -s and -b whenever -r is given.
bazel-bin/flow -w 2 -r /var/db -b 86400 -s 5
bazel-bin/flow --recovery-directory=/var/db -s 10 -b 86400
bazel-bin/flow -r /var/db -s 1 -b 60
bazel-bin/flow -w2 -r/var/db -b 86400 -s5
bazel-bin/flow -r/var/db -s 1 -b60
cp -r /var/db /backup
./tool -r x
