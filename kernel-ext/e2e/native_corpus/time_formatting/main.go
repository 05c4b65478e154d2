package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.Date(2009, time.November, 10, 23, 4, 5, 0, time.UTC)
	fmt.Println(t.Format(time.RFC3339), t.Weekday(), t.YearDay())
	fmt.Println(t.Add(36*time.Hour).Format("2006-01-02 15:04"), t.Truncate(time.Hour).Minute())
	d := 90*time.Minute + 30*time.Second
	fmt.Println(d, d.Hours(), time.Duration(1500)*time.Microsecond)
	p, err := time.Parse("2006-01-02", "2024-02-29")
	fmt.Println(p.Month(), err, p.AddDate(1, 0, 0).Format("Jan 2"))
}
