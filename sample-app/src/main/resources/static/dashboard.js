// Bridge sample dashboard: reads /api/dashboard/stream (server-sent events, one sample every
// ~250 ms) and draws it. Plain browser JavaScript, no libraries, no network beyond this app.
(function () {
	'use strict';

	const MIN_WINDOW_MS = 15_000;
	const MAX_WINDOW_MS = 60_000;
	const MERGE_MARKS_MS = 2_000;
	const MAX_SAMPLES = 600;
	const CHART_POOL = 'jdbc';

	const samples = [];
	const stallMarks = [];
	const lastPoolSignals = {};
	const rejectionMarks = [];
	let sampleCount = 0;
	let downCount = 0;
	let lastStatus = null;
	let lastStalls = null;
	let lastRejected = null;
	let windowMs = MIN_WINDOW_MS;

	const $ = (id) => document.getElementById(id);
	const badge = $('health-badge');
	const lagCanvas = $('lag-chart');
	const poolCanvas = $('pool-chart');

	function css(name) {
		return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	}

	function formatMillis(ms) {
		if (ms >= 1000) {
			return (ms / 1000).toFixed(2) + ' s';
		}
		return (ms >= 10 ? ms.toFixed(0) : ms.toFixed(1)) + ' ms';
	}

	function log(text, kind) {
		const item = document.createElement('li');
		const time = document.createElement('span');
		time.className = 'time';
		time.textContent = new Date().toLocaleTimeString();
		const body = document.createElement('span');
		body.textContent = text;
		if (kind) {
			body.className = kind;
		}
		item.append(time, body);
		$('log').prepend(item);
		while ($('log').children.length > 60) {
			$('log').lastChild.remove();
		}
	}

	function chartPool(sample) {
		return sample.pools.find((pool) => pool.name === CHART_POOL) ||
			sample.pools.find((pool) => pool.name !== 'default') || sample.pools[0];
	}

	function onSample(sample) {
		samples.push(sample);
		if (samples.length > MAX_SAMPLES) {
			samples.shift();
		}
		sampleCount++;
		// the time axis grows with the data up to a minute, so a fresh page is not an empty chart
		windowMs = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, sample.time - samples[0].time));

		const loop = sample.loop;
		$('loop-lag').textContent = formatMillis(loop.lagMillis);
		$('loop-lag').classList.toggle('alert', loop.lagMillis >= sample.thresholds.lagDownMillis);
		$('loop-inflight').textContent = loop.inFlight;
		$('loop-task-age').textContent = loop.currentTaskAgeMillis > 0 ? formatMillis(loop.currentTaskAgeMillis) : 'idle';
		$('loop-task-age').classList.toggle('alert', loop.currentTaskAgeMillis >= sample.thresholds.stallMillis);
		$('stall-count').textContent = loop.stalls;
		$('offload-inflight').textContent = sample.pools.reduce((sum, pool) => sum + pool.active + pool.queued, 0);
		$('query-thread').textContent = sample.lastQueryThread || '–';

		if (lastStalls !== null && loop.stalls > lastStalls) {
			stallMarks.push(sample.time);
			log('Watchdog: loop stall detected (' + loop.stalls + ' so far); see the warning with the loop stack in the server log', 'bad');
		}
		lastStalls = loop.stalls;

		const pool = chartPool(sample);
		if (pool) {
			$('pool-chart-name').textContent = pool.name;
			if (lastRejected !== null && pool.rejected > lastRejected) {
				const previous = rejectionMarks[rejectionMarks.length - 1];
				if (previous && sample.time - previous.last <= MERGE_MARKS_MS) {
					previous.count += pool.rejected - lastRejected;
					previous.last = sample.time;
				}
				else {
					rejectionMarks.push({ time: sample.time, last: sample.time, count: pool.rejected - lastRejected });
				}
			}
			lastRejected = pool.rejected;
		}

		renderPools(sample.pools);
		renderHealth(sample.health);
		drawLagChart();
		drawPoolChart();
		lagCanvas.dataset.sampleCount = String(sampleCount);
	}

	function renderPools(pools) {
		pools.forEach((pool) => {
			const previous = lastPoolSignals[pool.name];
			if (previous && pool.stalls > previous.stalls) {
				log('Worker watchdog: ' + (pool.stalls - previous.stalls) + ' call(s) on pool ' + pool.name
					+ ' ran past its stall threshold; see the warning with the method and its stack in the server log', 'bad');
			}
			if (previous && pool.pinned > previous.pinned) {
				log('Pinning: ' + (pool.pinned - previous.pinned) + ' virtual thread(s) of pool ' + pool.name
					+ ' blocked while pinned to their carrier; see the server log', 'bad');
			}
			lastPoolSignals[pool.name] = { stalls: pool.stalls, pinned: pool.pinned };
		});
		const body = $('pools');
		body.replaceChildren(...pools.map((pool) => {
			const row = document.createElement('tr');
			const cells = [pool.name, pool.virtualThreads ? 'virtual' : 'platform', pool.active, pool.queued,
				pool.limit, pool.queueCapacity, pool.rejected, pool.completed, pool.stalls, pool.pinned,
				formatMillis(pool.oldestRunningMillis)];
			cells.forEach((value, index) => {
				const cell = document.createElement('td');
				cell.textContent = value;
				if ((index === 2 && pool.active >= pool.limit) || (index === 3 && pool.queued >= pool.queueCapacity)
						|| (index === 6 && pool.rejected > 0) || (index === 8 && pool.stalls > 0)
						|| (index === 9 && pool.pinned > 0)) {
					cell.className = 'hot';
				}
				row.append(cell);
			});
			row.dataset.pool = pool.name;
			return row;
		}));
	}

	function renderHealth(health) {
		const status = health.status;
		if (status !== lastStatus) {
			if (status === 'DOWN') {
				downCount++;
				badge.dataset.downCount = String(downCount);
			}
			if (lastStatus !== null) {
				log('Health ' + lastStatus + ' → ' + status, status === 'UP' ? 'good' : 'bad');
			}
			lastStatus = status;
		}
		badge.textContent = status;
		badge.dataset.status = status;
		badge.title = '/actuator/health/bridge\n' + JSON.stringify(health.details, null, 2);
	}

	function prepare(canvas) {
		const ratio = window.devicePixelRatio || 1;
		const width = canvas.clientWidth;
		const height = canvas.clientHeight;
		if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
			canvas.width = Math.round(width * ratio);
			canvas.height = Math.round(height * ratio);
		}
		const g = canvas.getContext('2d');
		g.setTransform(ratio, 0, 0, ratio, 0, 0);
		g.clearRect(0, 0, width, height);
		return { g, width, height };
	}

	// a round axis maximum: four grid steps of a round number (1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten)
	function niceMax(value, integers) {
		const raw = Math.max(value, integers ? 4 : 1e-9) / 4;
		const power = Math.pow(10, Math.floor(Math.log10(raw)));
		const step = [1, 2, 2.5, 3, 4, 5, 6, 8, 10].map((factor) => factor * power)
			.find((candidate) => candidate >= raw && (!integers || Number.isInteger(candidate)));
		return step * 4;
	}

	function frame(g, width, height, maxY, unit) {
		const plot = { left: 56, right: width - 12, top: 10, bottom: height - 24 };
		g.strokeStyle = css('--line');
		g.fillStyle = css('--muted');
		g.lineWidth = 1;
		g.font = '11px system-ui, sans-serif';
		g.textAlign = 'right';
		g.textBaseline = 'middle';
		for (let i = 0; i <= 4; i++) {
			const value = (maxY * i) / 4;
			const y = plot.bottom - ((plot.bottom - plot.top) * i) / 4;
			g.beginPath();
			g.moveTo(plot.left, y);
			g.lineTo(plot.right, y);
			g.stroke();
			g.fillText(unit === 'ms' ? formatMillis(value) : Math.round(value), plot.left - 6, y);
		}
		g.textAlign = 'center';
		g.textBaseline = 'top';
		const step = windowMs > 30_000 ? 10 : 5;
		for (let s = 0; s <= windowMs / 1000; s += step) {
			const x = plot.right - ((plot.right - plot.left) * s * 1000) / windowMs;
			g.fillText(s === 0 ? 'now' : '-' + s + ' s', x, plot.bottom + 6);
		}
		return plot;
	}

	function xOf(plot, time, now) {
		return plot.right - ((plot.right - plot.left) * (now - time)) / windowMs;
	}

	function yOf(plot, value, maxY) {
		return plot.bottom - ((plot.bottom - plot.top) * Math.min(value, maxY)) / maxY;
	}

	function horizontal(g, plot, y, color, label) {
		g.save();
		g.strokeStyle = color;
		g.setLineDash([6, 4]);
		g.beginPath();
		g.moveTo(plot.left, y);
		g.lineTo(plot.right, y);
		g.stroke();
		g.restore();
		g.fillStyle = color;
		g.textAlign = 'left';
		g.textBaseline = 'bottom';
		g.fillText(label, plot.left + 6, y - 2);
	}

	function series(g, plot, now, valueOf, maxY, color, fill) {
		const visible = samples.filter((sample) => now - sample.time <= windowMs);
		if (visible.length === 0) {
			return;
		}
		g.beginPath();
		visible.forEach((sample, i) => {
			const x = xOf(plot, sample.time, now);
			const y = yOf(plot, valueOf(sample), maxY);
			if (i === 0) {
				g.moveTo(x, y);
			}
			else {
				g.lineTo(x, y);
			}
		});
		g.strokeStyle = color;
		g.lineWidth = 2;
		g.stroke();
		if (fill) {
			g.lineTo(xOf(plot, visible[visible.length - 1].time, now), plot.bottom);
			g.lineTo(xOf(plot, visible[0].time, now), plot.bottom);
			g.closePath();
			g.fillStyle = fill;
			g.fill();
		}
	}

	function drawLagChart() {
		const { g, width, height } = prepare(lagCanvas);
		const latest = samples[samples.length - 1];
		const now = latest.time;
		const thresholds = latest.thresholds;
		const maxLag = samples.reduce((max, sample) => Math.max(max, sample.loop.lagMillis), 0);
		const maxY = niceMax(Math.max(thresholds.lagDownMillis * 1.2, maxLag * 1.05), false);
		const plot = frame(g, width, height, maxY, 'ms');
		stallMarks.filter((time) => now - time <= windowMs).forEach((time) => {
			const x = xOf(plot, time, now);
			g.fillStyle = 'rgba(255, 93, 93, 0.18)';
			g.fillRect(x - 3, plot.top, 6, plot.bottom - plot.top);
		});
		horizontal(g, plot, yOf(plot, thresholds.stallMillis, maxY), css('--stall'),
			'stall threshold ' + formatMillis(thresholds.stallMillis));
		horizontal(g, plot, yOf(plot, thresholds.lagDownMillis, maxY), css('--down'),
			'health DOWN above ' + formatMillis(thresholds.lagDownMillis));
		series(g, plot, now, (sample) => sample.loop.lagMillis, maxY, css('--lag'), 'rgba(79, 179, 255, 0.15)');
	}

	function drawPoolChart() {
		const { g, width, height } = prepare(poolCanvas);
		const latest = samples[samples.length - 1];
		const pool = chartPool(latest);
		if (!pool) {
			return;
		}
		const now = latest.time;
		const maxY = niceMax((pool.limit + pool.queueCapacity) * 1.1, true);
		const plot = frame(g, width, height, maxY, 'count');
		rejectionMarks.filter((mark) => now - mark.time <= windowMs).forEach((mark) => {
			const x = xOf(plot, mark.time, now);
			const end = xOf(plot, mark.last, now);
			g.fillStyle = 'rgba(255, 93, 93, 0.35)';
			g.fillRect(x - 2, plot.top, Math.max(4, end - x + 4), plot.bottom - plot.top);
			g.fillStyle = css('--down');
			g.textAlign = 'right';
			g.textBaseline = 'top';
			g.font = 'bold 12px system-ui, sans-serif';
			g.fillText(mark.count + ' × 503', x - 6, plot.top + 2);
			g.font = '11px system-ui, sans-serif';
		});
		horizontal(g, plot, yOf(plot, pool.limit, maxY), css('--muted'), 'limit ' + pool.limit);
		horizontal(g, plot, yOf(plot, pool.limit + pool.queueCapacity, maxY), css('--muted'),
			'limit + queue ' + (pool.limit + pool.queueCapacity));
		const occupancy = (sample) => {
			const p = chartPool(sample);
			return p ? p.active + p.queued : 0;
		};
		const active = (sample) => {
			const p = chartPool(sample);
			return p ? p.active : 0;
		};
		series(g, plot, now, occupancy, maxY, css('--queued'), 'rgba(167, 139, 250, 0.2)');
		series(g, plot, now, active, maxY, css('--active'), 'rgba(79, 179, 255, 0.25)');
	}

	async function post(url) {
		const response = await fetch(url, { method: 'POST' });
		if (!response.ok) {
			throw new Error(url + ' answered ' + response.status);
		}
		return response.json();
	}

	$('burst-button').addEventListener('click', async (event) => {
		const button = event.currentTarget;
		button.disabled = true;
		log('Burst: firing concurrent GET /api/orders/{id} requests…');
		try {
			const result = await post('/api/demo/burst');
			log('Burst of ' + result.requested + ': ' + result.ok + ' OK, ' + result.rejected + ' rejected with 503'
				+ (result.other ? ', ' + result.other + ' other' : '') + ' in ' + formatMillis(result.tookMillis),
				result.rejected ? 'bad' : 'good');
		}
		catch (error) {
			log('Burst failed: ' + error.message, 'bad');
		}
		finally {
			button.disabled = false;
		}
	});

	$('stall-button').addEventListener('click', async (event) => {
		const button = event.currentTarget;
		button.disabled = true;
		log('Stalling the loop: a blocking sleep runs on the loop thread…', 'bad');
		try {
			const result = await post('/api/demo/stall');
			log('The loop (' + result.thread + ') was blocked for ' + formatMillis(result.blockedMillis));
		}
		catch (error) {
			log('Stall failed: ' + error.message, 'bad');
		}
		finally {
			button.disabled = false;
		}
	});

	$('hang-button').addEventListener('click', async (event) => {
		const button = event.currentTarget;
		button.disabled = true;
		log('Hanging a JDBC call: a jdbc pool thread sleeps like a query whose database stopped answering…', 'bad');
		try {
			const result = await post('/api/demo/hang');
			log('The JDBC call (' + result.thread + ') held its slot for ' + formatMillis(result.heldMillis));
		}
		catch (error) {
			log('Hung call failed: ' + error.message, 'bad');
		}
		finally {
			button.disabled = false;
		}
	});

	async function refreshReport() {
		try {
			const response = await fetch('/api/reports');
			const reports = await response.json();
			if (reports.length === 0) {
				return;
			}
			const report = reports[0];
			const statuses = Object.entries(report.byStatus).map(([status, count]) => count + ' ' + status).join(', ');
			$('report').innerHTML = '';
			const lines = [
				report.orders + ' orders, total ' + report.total + ' (' + statuses + ')',
				'iterated on ' + report.computedOn + ' (blocking) from a WebClient subscribed on ' + report.fetchedOn,
				'published on ' + report.publishedOn + ' at ' + new Date(report.finishedAt).toLocaleTimeString()
					+ ', took ' + formatMillis(report.tookMillis),
			];
			lines.forEach((line) => {
				const div = document.createElement('div');
				div.textContent = line;
				$('report').append(div);
			});
		}
		catch (error) {
			// the next refresh tries again
		}
	}

	const source = new EventSource('/api/dashboard/stream');
	source.addEventListener('open', () => {
		$('connection').dataset.state = 'open';
		$('connection').textContent = 'live';
	});
	source.addEventListener('error', () => {
		$('connection').dataset.state = 'error';
		$('connection').textContent = 'reconnecting';
	});
	source.addEventListener('sample', (event) => onSample(JSON.parse(event.data)));
	window.addEventListener('resize', () => {
		if (samples.length > 0) {
			drawLagChart();
			drawPoolChart();
		}
	});
	refreshReport();
	setInterval(refreshReport, 5000);
})();
