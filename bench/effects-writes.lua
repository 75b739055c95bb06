-- wrk script for bench/write-effects.ts: one kind of write (WD_WRITE), cycling over the seeded organization
-- (people p0..p(N-1), initiatives i0..i(M-1), leaf domains d<r>.<a>.<b>.<c>). Writes that make and remove a record
-- (assignment, delegation, influence) make one on each odd request and remove, on each even one, the one made 60
-- requests earlier (wrk runs 10 at a time: it is stored by then); ids carry a prefix of their own per run.
local n = tonumber(os.getenv("WD_PEOPLE") or "10000")
local m = tonumber(os.getenv("WD_INITIATIVES") or "10000")
local write = os.getenv("WD_WRITE") or "initiative-title"
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or ""), ["Content-Type"] = "application/json" }
math.randomseed(os.time())
local run = "b" .. math.random(1, 1000000000)
-- Where this run's records start, so that a run does not make again what an earlier one left (an A held twice is a 409).
local offset = math.random(0, m - 1)
local bare = { ["Authorization"] = headers["Authorization"] }
local i = 0

local function digits (k, count)
  local parts = {}
  for _ = 1, count do
    parts[#parts + 1] = tostring(k % 5)
    k = math.floor(k / 5)
  end
  return "d" .. table.concat(parts, ".")
end

local function made (kind, body, k)
  if k % 2 == 1 then
    return wrk.format("POST", "/v1/" .. kind, headers, body(math.floor(k / 2)))
  elseif k >= 62 then -- (wrk builds one request at start that it never sends: id 0 may not exist)
    return wrk.format("DELETE", "/v1/" .. kind .. "/" .. run .. "-" .. math.floor((k - 60) / 2), bare)
  end
  return wrk.format("GET", "/v1/" .. kind .. "?limit=1", headers)
end

local writes = {
  ["initiative-title"] = function (k) return wrk.format("PATCH", "/v1/initiatives/i" .. (k % m), headers, '{"title":"Initiative ' .. k .. '"}') end,
  ["initiative-status"] = function (k)
    return wrk.format("PATCH", "/v1/initiatives/i" .. (k % m), headers, '{"status":"' .. ((math.floor(k / m) % 2 == 0) and "on_hold" or "active") .. '"}')
  end,
  ["initiative-due"] = function (k)
    return wrk.format("PATCH", "/v1/initiatives/i" .. (k % m), headers, '{"decisionDueAt":"' .. ((k % 2 == 0) and "2026-06-01" or "2027-06-01") .. 'T00:00:00.000Z"}')
  end,
  ["initiative-domain"] = function (k) return wrk.format("PATCH", "/v1/initiatives/i" .. (k % m), headers, '{"domainId":"' .. digits(k, 4) .. '"}') end,
  ["person-status"] = function (k)
    return wrk.format("PATCH", "/v1/people/p" .. (k % n), headers, '{"status":"' .. ((math.floor(k / n) % 2 == 0) and "on_leave" or "active") .. '"}')
  end,
  ["domain-parent"] = function (k) return wrk.format("PATCH", "/v1/domains/" .. digits(k, 4), headers, '{"parentId":"' .. digits(k + 7, 3) .. '"}') end,
  ["assignment"] = function (k)
    return made("assignments", function (j) j = j + offset; return '{"id":"' .. run .. "-" .. (j - offset) .. '","personId":"p' .. (j % n) .. '","role":"A","initiativeId":"i' .. (j % m) .. '"}' end, k)
  end,
  ["delegation"] = function (k)
    return made("delegations", function (j) j = j + offset; return '{"id":"' .. run .. "-" .. (j - offset) .. '","fromPersonId":"p' .. (j % n) .. '","toPersonId":"p' .. ((j + 1) % n) .. '","initiativeId":"i' .. (j % m) .. '"}' end, k)
  end,
  ["influence"] = function (k)
    return made("influences", function (j) j = j + offset; return '{"id":"' .. run .. "-" .. (j - offset) .. '","personId":"p' .. (j % n) .. '","initiativeId":"i' .. (j % m) .. '","strength":"high"}' end, k)
  end
}

request = function ()
  i = i + 1
  return writes[write](i)
end
