#!/usr/bin/env bash
# Runs every Bridge benchmark with its baselines, on JDK 17 (the default java) and JDK 25,
# writes raw results under bridge-benchmarks/target/results/ and prints ratio tables.
#
#   bridge-benchmarks/run.sh [--quick] [--jdk 17|25|all] [--only <scenarios>] [--installed] [--offline] [--baseline <git-ref>]
#
# --quick      short settings, indicative figures only
# --jdk        run on one JDK only (default: both)
# --only       a comma-separated subset of the scenarios (default: all of them):
#                interleaved   all five interleaved comparisons below (the figures the docs quote)
#                interleaved-offload, interleaved-roundtrip, interleaved-context, interleaved-stream,
#                interleaved-idle
#                              one of them: Bridge and its baselines alternating in short rounds in
#                              one JVM, 1 and 8 callers, with CPU per call and idle CPU
#                offload, roundtrip, fanout, stream, context, memory, http
#                              the JMH scenarios, the footprint probe and the wrk HTTP load
#                waiters       the CPU of callers waiting on a saturated loop, and the round
#                              trip, per call (WaiterCpu; see --baseline)
# --installed  use the Bridge modules installed in ~/.m2 instead of building them from this tree
# --offline    build with mvn -o
# --baseline   for the waiters scenario: also measure bridge-core as of this git commit or
#              branch (compiled from its sources into target/), interleaved with this tree's build
#
# The interleaved comparisons print ready-to-paste Markdown tables, each captioned with the
# JDK, the commit (with -dirty for uncommitted changes), the date and the load average.
# The HTTP scenario loads two local applications with wrk (installed with apt-get when
# missing), on 127.0.0.1 only, for a fixed duration each. BRIDGE_BENCH_RESULTS overrides
# the results directory.
set -euo pipefail

QUICK=false
INSTALLED=false
JDKS="17 25"
ONLY="interleaved,offload,roundtrip,fanout,stream,context,memory,http,waiters"
OFFLINE=()
BASELINE=""
while [ $# -gt 0 ]; do
	case "$1" in
		--quick) QUICK=true ;;
		--jdk) shift; case "${1:-}" in all) JDKS="17 25" ;; 17|25) JDKS="$1" ;; *) echo "--jdk takes 17, 25 or all" >&2; exit 2 ;; esac ;;
		--only) shift; ONLY="${1:?--only needs a list}" ;;
		--installed) INSTALLED=true ;;
		--offline) OFFLINE=(-o) ;;
		--baseline) shift; BASELINE="${1:?--baseline needs a git commit or branch}" ;;
		-h|--help) sed -n '2,28p' "$0"; exit 0 ;;
		*) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done

MODULE_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$MODULE_DIR/.." && pwd)"
RESULTS="${BRIDGE_BENCH_RESULTS:-$MODULE_DIR/target/results}"
JDK17_JAVA="${JDK17_JAVA:-$(command -v java)}"
JDK25_HOME="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
HTTP_HOST=127.0.0.1
REACTIVE_PORT=18081
MVC_PORT=18082
APP_PID=""

# Share of the CPUs busy over 3 s, while no benchmark runs: other work on the machine.
cpu_busy() {
	local a b c d e f g t1 i1 t2 i2
	read -r _ a b c d e f g _ </proc/stat
	t1=$((a + b + c + d + e + f + g)) i1=$((d + e))
	sleep 3
	read -r _ a b c d e f g _ </proc/stat
	t2=$((a + b + c + d + e + f + g)) i2=$((d + e))
	echo "$((100 * ((t2 - t1) - (i2 - i1)) / (t2 - t1)))%"
}

# Each scenario records when and how it ran, and how busy the machine was around it.
begin_meta() {
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "command: bridge-benchmarks/run.sh$($QUICK && echo ' --quick') --jdk $jdk --only $ONLY"
		echo "cpu-busy-before: $(cpu_busy)"
	} >"$1"
}
end_meta() { echo "cpu-busy-after: $(cpu_busy)" >>"$1"; }

wanted() { [[ ",$ONLY," == *",$1,"* ]]; }
wanted_interleaved() { wanted interleaved || wanted "interleaved-$1"; }
log() { printf '\n== %s\n' "$*"; }

stop_app() {
	for pid in $APP_PID; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	APP_PID=""
}
trap stop_app EXIT

if $QUICK; then
	JMH_TIMED=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
	FANOUT_FAST=(-f 1 -wi 1 -i 3)
	FANOUT_SLOW=(-f 1 -wi 0 -i 1)
	WRK_WARMUP=3s
	WRK_DURATION=5s
	HTTP_ROUNDS=3
	HTTP_ROUND=3s
	IDLE_SECONDS=2
else
	JMH_TIMED=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
	FANOUT_FAST=(-f 1 -wi 3 -i 10)
	FANOUT_SLOW=(-f 1 -wi 1 -i 2)
	WRK_WARMUP=10s
	WRK_DURATION=20s
	HTTP_ROUNDS=7
	HTTP_ROUND=6s
	IDLE_SECONDS=10
fi

if wanted http && ! command -v wrk >/dev/null; then
	log "installing wrk"
	apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

log "building bridge-benchmarks and the modules it needs"
cd "$ROOT"
# One reactor invocation, so the Bridge modules resolve to what was just built, not to ~/.m2
# (unless --installed asks for the ones installed there).
ALSO_MAKE=(-am)
$INSTALLED && ALSO_MAKE=()
nice -n 15 mvn -q -B -ntp "${OFFLINE[@]}" -pl bridge-benchmarks "${ALSO_MAKE[@]}" package dependency:build-classpath -DskipTests \
	-Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt
# Copy the Bridge jars into this module's target, so a rebuild or re-install of a Bridge
# module while the benchmarks run cannot swap classes under a running JVM.
rm -rf "$MODULE_DIR/target/bridge-jars"
mkdir -p "$MODULE_DIR/target/bridge-jars"
CP="$MODULE_DIR/target/classes"
IFS=':' read -r -a entries <"$MODULE_DIR/target/classpath.txt" || true
for entry in "${entries[@]}"; do
	if [[ "$entry" == "$ROOT"/* || "$(basename "$entry")" == bridge-*.jar ]]; then
		cp "$entry" "$MODULE_DIR/target/bridge-jars/"
		entry="$MODULE_DIR/target/bridge-jars/$(basename "$entry")"
	fi
	CP="$CP:$entry"
done

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT="$COMMIT-dirty"

# One interleaved scenario in its own JVM: its Markdown goes to the terminal and to a file.
interleaved() {
	local java="$1" name="$2" title="$3"
	shift 3
	begin_meta "$dir/interleaved-$name.meta"
	log "$title (JDK $jdk)"
	"$java" -Xms1g -Xmx1g -Dbench.commit="$COMMIT" -cp "$CP" "$@" | tee "$dir/interleaved-$name.md"
	end_meta "$dir/interleaved-$name.meta"
}

# bridge-core as of $BASELINE, compiled against this module's class path without Bridge's
# own jars, for the waiters scenario to load beside this tree's build.
BASELINE_CLASSES=""
if [ -n "$BASELINE" ] && wanted waiters; then
	log "compiling bridge-core of $BASELINE"
	rev=$(git -C "$ROOT" rev-parse --short "$BASELINE")
	BASELINE_CLASSES="$MODULE_DIR/target/baseline-$rev/classes"
	rm -rf "$MODULE_DIR/target/baseline-$rev"
	mkdir -p "$MODULE_DIR/target/baseline-$rev/src" "$BASELINE_CLASSES"
	git -C "$ROOT" archive "$rev" bridge-core/src/main/java | tar -x -C "$MODULE_DIR/target/baseline-$rev/src"
	LIBS=$(tr ':' '\n' <"$MODULE_DIR/target/classpath.txt" | grep -v -e "^$ROOT/" -e '/bridge-[^/]*\.jar$' | paste -sd ':')
	javac -nowarn --release 17 -proc:none -d "$BASELINE_CLASSES" -cp "$LIBS" \
		$(find "$MODULE_DIR/target/baseline-$rev/src" -name '*.java') 2>&1 | grep -v '^Note:' || true
fi

jmh() {
	local java="$1" out="$2" regex="$3"
	shift 3
	"$java" -cp "$CP" org.openjdk.jmh.Main "$regex" -rf json -rff "$out" "$@" 2>&1 | tee "${out%.json}.log" \
		| grep -E '^(Benchmark|[A-Za-z0-9]+Benchmark\.)|ERROR|Exception|<failure>' || true
}

wait_for() {
	local url="$1" pid="$2"
	for _ in $(seq 1 120); do
		if curl -s -m 2 -o /dev/null "$url"; then return 0; fi
		if ! kill -0 "$pid" 2>/dev/null; then echo "the application exited; see its log" >&2; return 1; fi
		sleep 0.5
	done
	echo "no answer from $url after 60 s" >&2
	return 1
}

warm() {
	echo "-- warm-up $1: $WRK_WARMUP (wrk -t2 -c256)"
	wrk -t2 -c256 -d"$WRK_WARMUP" "$2" >/dev/null
}

load() {
	local name="$1" url="$2" out="$3"
	echo "-- $name: $WRK_DURATION measured (wrk -t2 -c256)"
	wrk -t2 -c256 -d"$WRK_DURATION" --timeout 10s --latency "$url" | tee "$out" | grep -E 'Requests/sec|99%|errors|Non-2xx' || true
}

run_http() {
	local java="$1" dir="$2" extra=() reactive mvc
	[ "$3" -ge 21 ] && extra=(--enable-native-access=ALL-UNNAMED)
	# Both applications run at once, so that Bridge and its baseline can alternate: one is
	# idle while the other is loaded.
	"$java" -Xms512m -Xmx512m "${extra[@]}" -cp "$CP" dev.bridge.benchmarks.http.ReactiveHttpApplication \
		--server.port="$REACTIVE_PORT" >"$dir/http-reactive-app.log" 2>&1 &
	reactive=$!
	APP_PID="$reactive"
	"$java" -Xms512m -Xmx512m -cp "$CP" dev.bridge.benchmarks.http.MvcHttpApplication \
		--server.port="$MVC_PORT" >"$dir/http-mvc-app.log" 2>&1 &
	mvc=$!
	APP_PID="$reactive $mvc"
	wait_for "http://$HTTP_HOST:$REACTIVE_PORT/elastic" "$reactive" || return 1
	wait_for "http://$HTTP_HOST:$MVC_PORT/mvc" "$mvc" || return 1
	local -A urls=([bridge]="http://$HTTP_HOST:$REACTIVE_PORT/bridge"
		[bridge-platform]="http://$HTTP_HOST:$REACTIVE_PORT/bridge-platform"
		[elastic]="http://$HTTP_HOST:$REACTIVE_PORT/elastic" [mvc]="http://$HTTP_HOST:$MVC_PORT/mvc")
	# Warm every endpoint (JIT, pools) before measuring any. The event-loop endpoint is not
	# warmed: its backlog would spill into the next run; it is measured last for that reason.
	for endpoint in bridge bridge-platform elastic mvc; do
		warm "$endpoint" "${urls[$endpoint]}"
	done
	sleep 2
	# Bridge and the MVC baseline alternate in short rounds, the order rotating, so that
	# each round compares them in the same state of the machine.
	local order=(bridge bridge-platform mvc) round k endpoint
	rm -f "$dir"/http-*-r*.txt
	for round in $(seq 1 "$HTTP_ROUNDS"); do
		for k in 0 1 2; do
			endpoint=${order[$(((round + k) % 3))]}
			echo "-- round $round, $endpoint: $HTTP_ROUND (wrk -t2 -c256)"
			wrk -t2 -c256 -d"$HTTP_ROUND" --timeout 10s --latency "${urls[$endpoint]}" >"$dir/http-$endpoint-r$round.txt"
		done
	done
	# The hopeless baselines once each, for scale only.
	load elastic "${urls[elastic]}" "$dir/http-elastic.txt"
	load event-loop "http://$HTTP_HOST:$REACTIVE_PORT/event-loop" "$dir/http-event-loop.txt"
	stop_app
}

for jdk in $JDKS; do
	if [ "$jdk" = 25 ]; then
		java="$JDK25_HOME/bin/java"
		if [ ! -x "$java" ]; then log "JDK 25 not found at $JDK25_HOME: skipped"; continue; fi
	else
		java="$JDK17_JAVA"
	fi
	feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
	dir="$RESULTS/jdk$jdk"
	mkdir -p "$dir"
	{
		echo "nproc: $(nproc)"
		echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
		echo "java: $("$java" -version 2>&1 | tr '\n' ' ')"
	} >"$dir/machine.txt"
	log "JDK $jdk: $("$java" -version 2>&1 | head -n 1)"

	if $QUICK; then rounds=7 calls=1000 idle_rounds=3 stream_calls=4; else rounds=21 calls=2000 idle_rounds=7 stream_calls=10; fi
	if wanted_interleaved offload; then
		interleaved "$java" offload "0a. offload round trip, Bridge and baselines alternating, 1 and 8 callers" \
			dev.bridge.benchmarks.InterleavedComparison offload "$rounds" "$calls"
	fi
	if wanted_interleaved roundtrip; then
		interleaved "$java" roundtrip "0b. sync -> loop round trip, Bridge and baselines alternating, 1 and 8 callers" \
			dev.bridge.benchmarks.InterleavedComparison roundtrip "$rounds" "$calls"
	fi
	if wanted_interleaved context; then
		interleaved "$java" context "0c. context propagation, Bridge and baselines alternating" \
			dev.bridge.benchmarks.ContextComparison "$rounds" "$calls"
	fi
	if wanted_interleaved stream; then
		interleaved "$java" stream "0e. stream bridging, Bridge and baselines alternating" \
			dev.bridge.benchmarks.InterleavedComparison stream "$rounds" "$stream_calls"
	fi
	if wanted_interleaved idle; then
		interleaved "$java" idle "0d. idle CPU of the warm pools and the loop after the load stops" \
			dev.bridge.benchmarks.InterleavedComparison idle "$idle_rounds" "$calls"
	fi
	if wanted offload; then
		begin_meta "$dir/offload.meta"
		log "1. offload overhead (JDK $jdk)"
		jmh "$java" "$dir/offload.json" 'OffloadOverheadBenchmark' "${JMH_TIMED[@]}"
		end_meta "$dir/offload.meta"
	fi
	if wanted roundtrip; then
		begin_meta "$dir/roundtrip.meta"
		log "2. sync -> loop round trip (JDK $jdk)"
		jmh "$java" "$dir/roundtrip.json" 'RoundTrip[18]Benchmark' "${JMH_TIMED[@]}"
		end_meta "$dir/roundtrip.meta"
	fi
	if wanted fanout; then
		begin_meta "$dir/fanout.meta"
		log "3. fan-out of 10,000 x 50 ms blocking calls (JDK $jdk)"
		if [ "$feature" -ge 21 ]; then fast='FanOutBenchmark\.(bridgeVirtual|bridgePlatform|fixedPool200|jdkVirtualPerTask)'; else fast='FanOutBenchmark\.(bridgePlatform|fixedPool200)'; fi
		jmh "$java" "$dir/fanout.json" "$fast" "${FANOUT_FAST[@]}"
		jmh "$java" "$dir/fanout-elastic.json" 'FanOutBenchmark\.boundedElasticDefaults' "${FANOUT_SLOW[@]}"
		end_meta "$dir/fanout.meta"
	fi
	if wanted stream; then
		begin_meta "$dir/stream.meta"
		log "4. stream bridging (JDK $jdk)"
		jmh "$java" "$dir/stream.json" 'StreamBenchmark' "${JMH_TIMED[@]}"
		end_meta "$dir/stream.meta"
	fi
	if wanted context; then
		begin_meta "$dir/context.meta"
		log "5. context propagation (JDK $jdk)"
		jmh "$java" "$dir/context.json" 'ContextBenchmark' "${JMH_TIMED[@]}"
		end_meta "$dir/context.meta"
	fi
	if wanted memory; then
		begin_meta "$dir/memory.meta"
		log "7. memory per in-flight call and idle loop CPU (JDK $jdk)"
		modes="bridge-platform"
		[ "$feature" -ge 21 ] && modes="bridge-virtual jdk-virtual bridge-platform"
		for mode in $modes; do
			"$java" -Xms2g -Xmx2g -cp "$CP" dev.bridge.benchmarks.Footprint "$mode" "$dir/memory-$mode.json" \
				|| echo "memory probe $mode failed" >&2
		done
		"$java" -Dfootprint.idleSeconds="$IDLE_SECONDS" -cp "$CP" dev.bridge.benchmarks.Footprint loop-idle-cpu \
			"$dir/memory-loop-idle-cpu.json" || echo "idle CPU probe failed" >&2
		end_meta "$dir/memory.meta"
	fi
	if wanted waiters; then
		begin_meta "$dir/waiters.meta"
		log "8. waiting callers: CPU under a saturated loop, round trip (JDK $jdk)"
		if $QUICK; then rounds=(5 300); else rounds=(11 400); fi
		others=()
		[ -n "$BASELINE_CLASSES" ] && others=("baseline $BASELINE=$BASELINE_CLASSES")
		"$java" -Xms512m -Xmx512m -cp "$CP" dev.bridge.benchmarks.WaiterCpu "${rounds[@]}" ${others[@]+"${others[@]}"} | tee "$dir/waiters.md"
		end_meta "$dir/waiters.meta"
	fi
	if wanted http; then
		begin_meta "$dir/http.meta"
		log "6. HTTP end to end, wrk -c 256 on $HTTP_HOST (JDK $jdk)"
		run_http "$java" "$dir" "$feature" || { echo "HTTP scenario failed; see $dir/http-*-app.log" >&2; stop_app; }
		end_meta "$dir/http.meta"
	fi
done

log "results"
python3 "$MODULE_DIR/report.py" "$RESULTS" | tee "$RESULTS/summary.md"
