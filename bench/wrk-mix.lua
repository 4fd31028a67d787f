-- wrk script: cycles through a fixed query mix, one /api/search request per line of the
-- mix file (URL query strings, as in bench/queries.txt; # lines are comments).
--   wrk -t2 -c16 -d12s --latency -s bench/wrk-mix.lua http://127.0.0.1:PORT -- bench/queries.txt
-- Each thread starts at its own offset so that the connections do not move in step.
local paths = {}
local counter = 0
local made = 0

function setup(thread)
  thread:set("offset", made * 7)
  made = made + 1
end

function init(args)
  local file = assert(io.open(args[1] or "bench/queries.txt", "r"))
  for line in file:lines() do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      paths[#paths + 1] = "/api/search?" .. line
    end
  end
  file:close()
  counter = (offset or 0) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
