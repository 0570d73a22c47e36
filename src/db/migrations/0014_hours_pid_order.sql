-- 0014: the hours list pages by station, date and the volunteer's pid
-- (0012): the list reads sgz.hours_v and keys its rows by pid, which every
-- user may read; the index on the number it replaces served the old order.
DROP INDEX sgz.hours_station_idx;
CREATE INDEX hours_station_idx ON sgz.hours (station, service_date, volunteer_pid);
