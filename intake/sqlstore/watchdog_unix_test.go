//go:build unix

package sqlstore_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// watchdogScript waits for the test binary to exit, then stops the
// cluster and removes its directory: TestMain does that itself, but not
// when a test panics or the binary is killed.
const watchdogScript = `pid=$1 dir=$2 data=$3 pgctl=$4 user=$5
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
if [ -n "$user" ]; then
	runuser -u "$user" -- "$pgctl" stop -m immediate -D "$data"
else
	"$pgctl" stop -m immediate -D "$data"
fi >/dev/null 2>&1
rm -rf "$dir"`

// watch starts the cluster's watchdog in a process group of its own (so
// that an interrupt of the test does not stop it first). It holds none of
// the test binary's output, so go test does not wait for it.
func (c *cluster) watch() error {
	cmd := exec.Command("sh", "-c", watchdogScript, "sh", strconv.Itoa(os.Getpid()), c.dir, c.data,
		filepath.Join(c.bin, "pg_ctl"), c.asUser)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
