#!/bin/bash
# v0.17 flags: v0.18 needs -s and -b whenever -r is given.
bazel-bin/flow -w 2 -r /var/db -s 5
bazel-bin/flow --recovery-directory=/var/db
bazel-bin/flow -r /var/db -s 1 -b 60
bazel-bin/flow -w2 -r/var/db -s5
bazel-bin/flow -r/var/db -s 1 -b60
cp -r /var/db /backup
./tool -r x
