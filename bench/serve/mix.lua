-- wrk script for bench/serve: each request picks its kind by the MIX
-- environment variable (search, view, events, static or mix) and signs in
-- with the cookie given in COOKIE. Queries come from bench/collect's list.
local kind = os.getenv("MIX") or "mix"
local cookie = os.getenv("COOKIE") or ""
local ndocs = tonumber(os.getenv("NDOCS") or "1000")
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local function enc(s)
  return (s:gsub("[^%w%-_%.%*]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local types = {"arrest", "detention", "repatriation", "trafficking", "interrogation", "sentencing"}
local n = 0
local function pick()
  if kind ~= "mix" then return kind end
  n = n + 1
  local r = n % 10
  if r < 5 then return "search" elseif r < 8 then return "view" else return "events" end
end
request = function()
  local k = pick()
  local path
  if k == "search" then
    path = "/api/search?nofacets=1&q=" .. enc(queries[math.random(#queries)])
  elseif k == "facets" then
    path = "/api/search?q=" .. enc(queries[math.random(#queries)])
  elseif k == "view" then
    path = "/api/documents/" .. math.random(ndocs)
  elseif k == "events" then
    path = "/api/events?limit=50&type=" .. types[math.random(#types)]
  else
    path = "/static/app.css"
  end
  return wrk.format("GET", path, {["Cookie"] = cookie})
end
