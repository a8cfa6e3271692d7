package notify_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// smtpServer is a small SMTP server for the tests: EHLO (with STARTTLS and
// AUTH PLAIN when configured), HELO, STARTTLS, AUTH PLAIN, MAIL, RCPT,
// DATA, RSET, QUIT. It records what the client said and can be told to
// answer one command with a chosen reply, to stall, or to hang up in the
// middle of DATA.
type smtpServer struct {
	ln        net.Listener
	tls       *tls.Config // nil: no STARTTLS
	authPlain bool
	user      string
	password  string
	// failAt is a verb ("RCPT"), "GREETING", or "END" (the reply to the
	// message data); failReply is the reply sent instead.
	failAt, failReply string
	// stallAt is a verb the server reads and never answers.
	stallAt string
	// hangUpInData makes the server close the connection after the first
	// lines of the message data.
	hangUpInData bool
	// implicitTLS speaks TLS from the first byte (with the tls config).
	implicitTLS bool
	// noEHLO refuses EHLO, as an RFC 821 server would.
	noEHLO bool

	wg       sync.WaitGroup
	mu       sync.Mutex
	lines    []string // client lines, in order, AUTH credentials included
	messages []smtpReceived
}

type smtpReceived struct {
	from      string
	rcpt      []string
	data      []byte
	tls       bool
	authUser  string
	authPass  string
	authInTLS bool
}

func startSMTP(t *testing.T, s *smtpServer) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln = ln
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) addr() string { return s.ln.Addr().String() }

// dialer connects any address to this server, so the client can be given
// a non-local host name.
func (s *smtpServer) dialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, s.addr())
	}
}

func (s *smtpServer) transcript() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.lines)
}

func (s *smtpServer) received() []smtpReceived {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

func (s *smtpServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	tlsOn := false
	if s.implicitTLS {
		tc := tls.Server(conn, s.tls)
		if err := tc.Handshake(); err != nil {
			return
		}
		conn, tlsOn = tc, true
	}
	tp := textproto.NewConn(conn)
	if s.failAt == "GREETING" {
		_ = tp.PrintfLine("%s", s.failReply)
		return
	}
	_ = tp.PrintfLine("220 smtp.example.test ESMTP test server")
	var cur smtpReceived
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.lines = append(s.lines, line)
		s.mu.Unlock()
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if verb == s.stallAt {
			_, _ = io.Copy(io.Discard, conn) // until the client gives up
			return
		}
		if verb == s.failAt {
			_ = tp.PrintfLine("%s", s.failReply)
			if strings.HasPrefix(s.failReply, "421") {
				return
			}
			continue
		}
		switch verb {
		case "EHLO":
			if s.noEHLO {
				_ = tp.PrintfLine("502 5.5.2 Error: command not recognized")
				continue
			}
			ext := []string{"smtp.example.test greets " + arg, "8BITMIME"}
			if s.tls != nil && !tlsOn {
				ext = append(ext, "STARTTLS")
			}
			if s.authPlain {
				ext = append(ext, "AUTH LOGIN PLAIN")
			}
			ext = append(ext, "SMTPUTF8")
			for i, e := range ext {
				sep := "-"
				if i == len(ext)-1 {
					sep = " "
				}
				_ = tp.PrintfLine("250%s%s", sep, e)
			}
		case "HELO":
			_ = tp.PrintfLine("250 smtp.example.test")
		case "STARTTLS":
			if s.tls == nil || tlsOn {
				_ = tp.PrintfLine("502 5.5.1 not offered")
				continue
			}
			_ = tp.PrintfLine("220 2.0.0 Ready to start TLS")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, tlsOn = tc, true
			tp = textproto.NewConn(conn)
			cur = smtpReceived{}
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(raw), "\x00")
			if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 || parts[1] != s.user || parts[2] != s.password {
				_ = tp.PrintfLine("535 5.7.8 Authentication credentials invalid")
				continue
			}
			cur.authUser, cur.authPass, cur.authInTLS = parts[1], parts[2], tlsOn
			_ = tp.PrintfLine("235 2.7.0 Authentication successful")
		case "MAIL":
			cur.from, cur.tls = arg, tlsOn
			_ = tp.PrintfLine("250 2.1.0 Ok")
		case "RCPT":
			cur.rcpt = append(cur.rcpt, arg)
			_ = tp.PrintfLine("250 2.1.5 Ok")
		case "DATA":
			_ = tp.PrintfLine("354 End data with <CR><LF>.<CR><LF>")
			if s.hangUpInData {
				_, _ = tp.ReadLine()
				_, _ = tp.ReadLine()
				return
			}
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			if s.failAt == "END" {
				_ = tp.PrintfLine("%s", s.failReply)
				continue
			}
			cur.data = data
			s.mu.Lock()
			s.messages = append(s.messages, cur)
			s.mu.Unlock()
			cur = smtpReceived{authUser: cur.authUser, authPass: cur.authPass, authInTLS: cur.authInTLS}
			_ = tp.PrintfLine("250 2.0.0 Ok: queued as 4F2C91A7")
		case "RSET":
			_ = tp.PrintfLine("250 2.0.0 Ok")
		case "QUIT":
			_ = tp.PrintfLine("221 2.0.0 Bye")
			return
		default:
			_ = tp.PrintfLine("502 5.5.2 Error: command not recognized")
		}
	}
}

// testCert returns a server TLS configuration for smtp.example.test and
// 127.0.0.1 with a self-signed certificate made now, and a pool trusting it.
func testCert(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtp.example.test"},
		DNSNames:              []string{"smtp.example.test"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, pool
}

// parseMail parses a received message and decodes its quoted-printable body.
func parseMail(t *testing.T, data []byte) (*mail.Message, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("net/mail: %v\n%s", err, data)
	}
	if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q", cte)
	}
	raw, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(raw), "\n") {
		if len(l) > 76 {
			t.Errorf("body line %d is %d characters; quoted-printable allows 76", i+1, len(l))
		}
	}
	body, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return msg, string(body)
}

func TestSMTPPlainDelivery(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	s := &notify.SMTP{Addr: srv.addr(), From: "sigwatch <sigwatch@example.com>", Hello: "sigwatch.example.com"}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	d, err := s.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	// Message-ID: 32 hex digits of SHA-256("case-CVE-2024-3400-routed-1"), from python3 hashlib.
	wantID := "<627a35caddef6d8712320ab772c48eb9.sigwatch@example.com>"
	if want := (notify.Delivery{Ref: "2.0.0 Ok: queued as 4F2C91A7", Status: 250, ID: wantID}); d != want {
		t.Errorf("Delivery = %+v, want %+v", d, want)
	}
	want := []string{"EHLO sigwatch.example.com", "MAIL FROM:<sigwatch@example.com>", "RCPT TO:<aisha.khan@example.com>", "DATA", "QUIT"}
	if diff := cmp.Diff(want, srv.transcript()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	got := srv.received()
	if len(got) != 1 || got[0].tls || got[0].from != "FROM:<sigwatch@example.com>" {
		t.Fatalf("received %+v", got)
	}
	msg, body := parseMail(t, got[0].data)
	h := msg.Header
	for k, v := range map[string]string{
		"Date":            "Mon, 02 Mar 2026 09:00:00 +0000",
		"Subject":         "P1 CVE-2024-3400: PAN-OS GlobalProtect command injection",
		"Message-Id":      wantID,
		"Mime-Version":    "1.0",
		"Content-Type":    "text/plain; charset=utf-8",
		"Auto-Submitted":  "auto-generated",
		"X-Sigwatch-Kind": "case.routed",
	} {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Name != "sigwatch" || from.Address != "sigwatch@example.com" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	if to, err := mail.ParseAddress(h.Get("To")); err != nil || to.Name != "Aisha Khan" || to.Address != "aisha.khan@example.com" {
		t.Errorf("To = %q (%v)", h.Get("To"), err)
	}
	if date, err := h.Date(); err != nil || !date.Equal(t0) {
		t.Errorf("Date parses as %v, %v", date, err)
	}
	if body != sampleText {
		t.Errorf("body:\n%s\nwant:\n%s", body, sampleText)
	}

	// A retry sends the same message under the same Message-ID.
	if _, err := s.Notify(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	again := srv.received()
	if len(again) != 2 || !bytes.Equal(again[0].data, again[1].data) {
		t.Errorf("retry sent a different message:\n%s\n---\n%s", again[0].data, again[len(again)-1].data)
	}
}

func TestSMTPStartTLSAndAuth(t *testing.T) {
	serverTLS, pool := testCert(t)
	srv := startSMTP(t, &smtpServer{tls: serverTLS, authPlain: true, user: "sigwatch", password: "s3cret pass"})
	s := &notify.SMTP{
		Addr: "smtp.example.test:587", Dial: srv.dialer(),
		From: "sigwatch@example.com", Username: "sigwatch", Password: "s3cret pass",
		TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
	}
	d, err := s.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != 250 {
		t.Errorf("Delivery = %+v", d)
	}
	cred := base64.StdEncoding.EncodeToString([]byte("\x00sigwatch\x00s3cret pass"))
	want := []string{"EHLO localhost", "STARTTLS", "EHLO localhost", "AUTH PLAIN " + cred,
		"MAIL FROM:<sigwatch@example.com>", "RCPT TO:<aisha.khan@example.com>", "DATA", "QUIT"}
	if diff := cmp.Diff(want, srv.transcript()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	got := srv.received()
	if len(got) != 1 || !got[0].tls || !got[0].authInTLS || got[0].authUser != "sigwatch" || got[0].authPass != "s3cret pass" {
		t.Errorf("received %+v", got)
	}

	// Without the test CA the certificate does not verify: a configuration
	// problem, permanent, and no credentials are sent.
	srv2 := startSMTP(t, &smtpServer{tls: serverTLS, authPlain: true, user: "sigwatch", password: "x"})
	s2 := &notify.SMTP{Addr: "smtp.example.test:587", Dial: srv2.dialer(), From: "sigwatch@example.com", Username: "sigwatch", Password: "x"}
	_, err = s2.Notify(context.Background(), sample())
	if err == nil || !notify.Permanent(err) || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
	for _, l := range srv2.transcript() {
		if strings.HasPrefix(l, "AUTH") {
			t.Errorf("credentials sent after a failed handshake: %q", l)
		}
	}
}

func TestSMTPAuthPolicy(t *testing.T) {
	for _, tt := range []struct {
		name   string
		addr   string // "" means the server's loopback address
		policy notify.StartTLSPolicy
		text   string // "" means success
	}{
		{"default_requires_tls_with_auth", "mail.example.test:25", notify.StartTLSDefault, "does not offer STARTTLS"},
		{"never_refuses_auth_to_remote_host", "mail.example.test:25", notify.StartTLSNever, "refusing to send credentials to mail.example.test without TLS"},
		{"opportunistic_refuses_auth_to_remote_host", "mail.example.test:25", notify.StartTLSOpportunistic, "refusing to send credentials"},
		{"loopback_may_auth_in_clear", "", notify.StartTLSOpportunistic, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTP(t, &smtpServer{authPlain: true, user: "u", password: "p"})
			addr := tt.addr
			if addr == "" {
				addr = srv.addr()
			}
			s := &notify.SMTP{Addr: addr, Dial: srv.dialer(), From: "sigwatch@example.com", Username: "u", Password: "p", StartTLS: tt.policy}
			_, err := s.Notify(context.Background(), sample())
			if tt.text == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !notify.Permanent(err) || !errors.Is(err, notify.ErrConfig) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Notify = %v; want a permanent ErrConfig containing %q", err, tt.text)
			}
			for _, l := range srv.transcript() {
				if strings.HasPrefix(l, "AUTH") || strings.HasPrefix(l, "MAIL") {
					t.Errorf("client went on to %q", l)
				}
			}
		})
	}
}

func TestSMTPReplyClasses(t *testing.T) {
	for _, tt := range []struct {
		name      string
		srv       *smtpServer
		permanent bool
		status    int
		text      string
	}{
		{"greeting_421", &smtpServer{failAt: "GREETING", failReply: "421 4.3.2 Service shutting down"}, false, 421, "greeting: 421"},
		{"rcpt_451", &smtpServer{failAt: "RCPT", failReply: "451 4.3.0 Mail server temporarily rejected message"}, false, 451, "RCPT TO: 451"},
		{"rcpt_550", &smtpServer{failAt: "RCPT", failReply: "550 5.1.1 User unknown"}, true, 550, "RCPT TO: 550 5.1.1 User unknown"},
		{"mail_452", &smtpServer{failAt: "MAIL", failReply: "452 4.3.1 Insufficient system storage"}, false, 452, "MAIL FROM: 452"},
		{"data_554", &smtpServer{failAt: "DATA", failReply: "554 5.5.1 No valid recipients"}, true, 554, "DATA: 554"},
		{"end_of_data_552", &smtpServer{failAt: "END", failReply: "552 5.3.4 Message size exceeds fixed limit"}, true, 552, "end of DATA: 552"},
		{"end_of_data_451", &smtpServer{failAt: "END", failReply: "451 4.7.1 Greylisted, try again"}, false, 451, "Greylisted"},
		{"hang_up_in_data", &smtpServer{hangUpInData: true}, false, 0, "DATA"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTP(t, tt.srv)
			_, err := (&notify.SMTP{Addr: srv.addr(), From: "sigwatch@example.com"}).Notify(context.Background(), sample())
			var ne *notify.Error
			if !errors.As(err, &ne) {
				t.Fatalf("Notify = %v; want *notify.Error", err)
			}
			if ne.Permanent != tt.permanent || ne.Status != tt.status || ne.Notifier != "smtp" || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q: permanent=%v status=%d; want permanent=%v status=%d containing %q",
					err, ne.Permanent, ne.Status, tt.permanent, tt.status, tt.text)
			}
		})
	}
}

func TestSMTPHonoursContext(t *testing.T) {
	srv := startSMTP(t, &smtpServer{stallAt: "DATA"})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := (&notify.SMTP{Addr: srv.addr(), From: "sigwatch@example.com"}).Notify(ctx, sample())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Notify = %v; want the context's deadline error", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("Notify took %v after the deadline", el)
	}

	srv2 := startSMTP(t, &smtpServer{stallAt: "RCPT"})
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel2)
	if _, err := (&notify.SMTP{Addr: srv2.addr(), From: "sigwatch@example.com"}).Notify(ctx2, sample()); !errors.Is(err, context.Canceled) {
		t.Errorf("Notify after cancel = %v; want context.Canceled", err)
	}
}

func TestSMTPNonASCII(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	m := sample()
	m.Subject = "Schwachstelle in Gerät – dringend ✓ " + strings.Repeat("überlang ", 15)
	m.To.Name = "Zoë Müller"
	if _, err := (&notify.SMTP{Addr: srv.addr(), From: "Überwachung <sigwatch@example.com>"}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	data := srv.received()[0].data
	head, _, _ := bytes.Cut(data, []byte("\n\n"))
	for i, l := range strings.Split(string(head), "\n") {
		if len(l) > 78 {
			t.Errorf("header line %d is %d characters: %q", i+1, len(l), l)
		}
		for _, c := range []byte(l) {
			if c >= 0x80 {
				t.Fatalf("header line %d has raw non-ASCII: %q", i+1, l)
			}
		}
	}
	msg, body := parseMail(t, data)
	var dec mime.WordDecoder
	subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subj != strings.TrimSpace(m.Subject) {
		t.Errorf("Subject decodes to %q (%v), want %q", subj, err, strings.TrimSpace(m.Subject))
	}
	if to, err := mail.ParseAddress(msg.Header.Get("To")); err != nil || to.Name != "Zoë Müller" {
		t.Errorf("To = %q → %+v, %v", msg.Header.Get("To"), to, err)
	}
	if from, err := mail.ParseAddress(msg.Header.Get("From")); err != nil || from.Name != "Überwachung" {
		t.Errorf("From = %q → %+v, %v", msg.Header.Get("From"), from, err)
	}
	if !strings.HasPrefix(body, "PAN-OS GlobalProtect command injection\n") {
		t.Errorf("body = %q", body)
	}
}

func TestSMTPRecipientErrors(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	s := &notify.SMTP{Addr: srv.addr(), From: "sigwatch@example.com"}
	for _, email := range []string{"", "   ", "not an address", "Eve <eve@example.com>", "a@b\r\nRCPT TO:<x@y>", "<a@b>"} {
		m := sample()
		m.To.Email = email
		_, err := s.Notify(context.Background(), m)
		if !errors.Is(err, notify.ErrMessage) || !notify.Permanent(err) {
			t.Errorf("email %q: Notify = %v; want a permanent ErrMessage", email, err)
		}
	}
	if n := len(srv.transcript()); n != 0 {
		t.Errorf("server saw %d lines for invalid recipients", n)
	}
	for _, bad := range []notify.SMTP{
		{Addr: "no-port", From: "a@b"},
		{Addr: srv.addr(), From: ""},
		{Addr: srv.addr(), From: "a@b\r\nBcc: x@y"},
		{Addr: srv.addr(), From: "a@b", Hello: "x\r\nRSET"},
		{Addr: srv.addr(), From: "a@b", Username: "u\r\n", Password: "p"},
	} {
		if err := bad.Validate(); !errors.Is(err, notify.ErrConfig) {
			t.Errorf("Validate(%+v) = %v; want ErrConfig", bad, err)
		}
	}
}

func TestSMTPImplicitTLSAndHELO(t *testing.T) {
	serverTLS, pool := testCert(t)
	srv := startSMTP(t, &smtpServer{tls: serverTLS, implicitTLS: true, noEHLO: true})
	s := &notify.SMTP{Label: "mail", Addr: "smtp.example.test:465", Dial: srv.dialer(), ImplicitTLS: true,
		From: "sigwatch@example.com", TLS: &tls.Config{RootCAs: pool}}
	d, err := s.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != 250 || s.Name() != "mail" {
		t.Errorf("Delivery = %+v, name %q", d, s.Name())
	}
	want := []string{"EHLO localhost", "HELO localhost", "MAIL FROM:<sigwatch@example.com>", "RCPT TO:<aisha.khan@example.com>", "DATA", "QUIT"}
	if diff := cmp.Diff(want, srv.transcript()); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	if got := srv.received(); len(got) != 1 || !got[0].tls {
		t.Errorf("received %+v", got)
	}
}
