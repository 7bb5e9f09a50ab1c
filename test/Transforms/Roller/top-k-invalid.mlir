// RUN: hm-opt %s --hm-roller=top-k=0 -verify-diagnostics -o /dev/null

// At least one configuration must be kept.
// expected-error @+1 {{hm-roller: 'top-k' must be at least 1, got 0}}
module {
}
