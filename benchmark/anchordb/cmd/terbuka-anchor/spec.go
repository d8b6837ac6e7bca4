package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

func readSpec(path string) (*anchor.Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	var s anchor.Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read spec %s: %w", path, err)
	}
	if len(s.Tables) == 0 {
		return nil, fmt.Errorf("spec %s has no tables", path)
	}
	return &s, nil
}
