"""What the office sends out each month, drafted from a summary workbook: the 督查通报
(`toolkit.reports.bulletin`), the 催报/督办 notices (`toolkit.reports.reminders`), with the
考核评分 (`toolkit.reports.scoring`) and 督办等级 (`toolkit.reports.escalation`) the roll-up writes."""
