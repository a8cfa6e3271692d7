//go:build !unix

package sqlstore_test

// watch does nothing where there is no sh: a panicking test leaves its
// throwaway cluster running.
func (c *cluster) watch() error { return nil }
