-- wrk script: GET a seeded person, or the initiatives of a leaf domain, now or at WD_AT; ids in a fixed random order.
local people = tonumber(os.getenv("WD_PEOPLE") or "10000")
local route = os.getenv("WD_ROUTE") or "person"
local at = os.getenv("WD_AT") or ""
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or "") }
math.randomseed(42)

request = function()
  local path
  if route == "person" then
    path = "/v1/people/p" .. math.random(0, people - 1) .. (at == "" and "" or ("?at=" .. at))
  else
    local leaf = "d" .. math.random(0, 4) .. "." .. math.random(0, 4) .. "." .. math.random(0, 4) .. "." .. math.random(0, 4)
    path = "/v1/initiatives?domainId=" .. leaf .. (at == "" and "" or ("&at=" .. at))
  end
  return wrk.format("GET", path, headers)
end
