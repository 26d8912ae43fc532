# Shell helpers (sourced) to start govmomi's simulator in the background and stop it by PID.
# sim_start MODE [ARGS...] sets SIM_ADDR (host:port) and SIM_CA; sim_stop ends every one started.
SIM_PIDS=()
sim_start() {
    local mode=$1; shift
    local dir; dir=$(mktemp -d)
    "$ROOT/target/vcsim-launcher" -daemon -mode "$mode" -cert-dir "$dir" "$@" >"$dir/out" 2>"$dir/err" &
    SIM_PIDS+=("$!")
    for _ in $(seq 100); do
        grep -q '^URL=' "$dir/out" 2>/dev/null && break
        sleep 0.1
    done
    SIM_ADDR=$(sed -n 's|^URL=[a-z]*://\([^/]*\)/sdk.*|\1|p' "$dir/out")
    SIM_CA=$(sed -n 's|.* CA=||p' "$dir/out")
    [ -n "$SIM_ADDR" ] || { echo "simulator did not start: $(cat "$dir/err")" >&2; return 1; }
}
sim_stop() {
    for pid in "${SIM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    SIM_PIDS=()
}
