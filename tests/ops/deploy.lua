-- deploy.lua - wrk's traffic during `stack.sh deploy` (tests/ops/deploy.sh):
-- a mix of public reads of every context and order placements, which go
-- on to payment through the internal gateway.  FD_TOKENS holds customers'
-- tokens, space separated; each thread takes its own.  Every answer is
-- tallied by status and printed at the end as "status <code> <count>".

local tokens = {}
for t in string.gmatch(os.getenv("FD_TOKENS") or "", "%S+") do
	tokens[#tokens + 1] = t
end
local threads = {}
local order = '{"storeId":1,"items":[{"menuId":1,"qty":1}],' ..
    '"address":"서울 마포구 1","phone":"010-1234-0000"}'

function setup(thread)
	thread:set("id", #threads + 1)
	threads[#threads + 1] = thread
end

counts = {}
local n, second, placed = 0, 0, 0

function init(args)
	token = tokens[(id - 1) % #tokens + 1]
end

-- At most 4 orders a second per thread: the order rate limit is per
-- customer, and this test is about the deploy, not the limiter.
function request()
	n = n + 1
	local auth = { ["Authorization"] = "Bearer " .. token }
	local k = n % 6
	if k == 0 then
		local now = os.time()
		if now ~= second then second, placed = now, 0 end
		if placed < 4 then
			placed = placed + 1
			auth["Content-Type"] = "application/json"
			return wrk.format("POST", "/orders", auth, order)
		end
		return wrk.format("GET", "/stores")
	elseif k == 1 then return wrk.format("GET", "/stores/1/menu")
	elseif k == 2 then return wrk.format("GET", "/orders", auth)
	elseif k == 3 then return wrk.format("GET", "/myPages", auth)
	elseif k == 4 then return wrk.format("GET", "/auth/me", auth)
	elseif n % 12 == 5 then return wrk.format("GET", "/payment/health")
	end
	return wrk.format("GET", "/delivery/ready")
end

function response(status)
	counts[status] = (counts[status] or 0) + 1
end

function done(summary)
	local all = {}
	for _, t in ipairs(threads) do
		-- counts is a table in each thread's own Lua state
		for code, c in pairs(t:get("counts")) do
			all[code] = (all[code] or 0) + c
		end
	end
	for code, c in pairs(all) do
		io.write(string.format("status %d %d\n", code, c))
	end
	local e = summary.errors
	io.write(string.format("requests %d\nerrors %d %d %d %d %d\n",
	    summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
