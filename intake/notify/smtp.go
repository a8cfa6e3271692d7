package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// StartTLSPolicy says when the SMTP notifier upgrades the connection with
// STARTTLS.
type StartTLSPolicy int

const (
	// StartTLSDefault is StartTLSRequired when Username is set (credentials
	// must not cross the network in clear), StartTLSOpportunistic otherwise.
	StartTLSDefault StartTLSPolicy = iota
	// StartTLSRequired fails, permanently, when the server does not offer
	// STARTTLS, and fails when the handshake fails.
	StartTLSRequired
	// StartTLSOpportunistic upgrades when the server offers STARTTLS and
	// carries on in clear otherwise.
	StartTLSOpportunistic
	// StartTLSNever never upgrades (for a local relay).
	StartTLSNever
)

// String implements fmt.Stringer.
func (p StartTLSPolicy) String() string {
	switch p {
	case StartTLSDefault:
		return "default"
	case StartTLSRequired:
		return "required"
	case StartTLSOpportunistic:
		return "opportunistic"
	case StartTLSNever:
		return "never"
	}
	return fmt.Sprintf("StartTLSPolicy(%d)", int(p))
}

// SMTP sends each message as one e-mail to Message.To.Email through an SMTP
// server (RFC 5321): EHLO, STARTTLS, AUTH PLAIN, MAIL FROM, RCPT TO, DATA.
// The e-mail (RFC 5322) is text/plain UTF-8 in quoted-printable, with the
// body from [Text], an RFC 2047 encoded Subject when it is not ASCII, and a
// Message-ID derived from Message.ID, so a retried message keeps its ID and
// the recipient's mail system can spot the duplicate. Every header value is
// made one line first: CR and LF in a subject or a name cannot add headers.
//
// Reply codes decide the class of a failure: 5yz is permanent, 4yz
// temporary; a dropped connection or a timeout is temporary. The final
// reply to DATA (code and text, usually with the server's queue ID) is the
// returned [Delivery].
type SMTP struct {
	// Label is the notifier's name in delivery records. Optional: defaults
	// to "smtp".
	Label string
	// Addr is the server's host:port. Required.
	Addr string
	// From is the sender, an address with an optional name
	// ("sigwatch <sigwatch@example.com>"). Required.
	From string
	// Username and Password enable AUTH PLAIN. Credentials are sent only
	// over TLS or to localhost. Optional.
	Username, Password string
	// TLS configures STARTTLS and ImplicitTLS. Optional: defaults to
	// verifying the server's certificate for Addr's host.
	TLS *tls.Config
	// ImplicitTLS speaks TLS from the first byte (SMTPS, port 465) instead
	// of upgrading with STARTTLS.
	ImplicitTLS bool
	// StartTLS is the upgrade policy. Optional: see [StartTLSDefault].
	StartTLS StartTLSPolicy
	// Hello is the name sent with EHLO. Optional: defaults to "localhost".
	Hello string
	// Timeout bounds the whole conversation when ctx has no earlier
	// deadline. Optional: defaults to 2 minutes.
	Timeout time.Duration
	// Dial opens the connection. Optional: defaults to a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock for the Date header when Message.Time is zero.
	// Optional: defaults to time.Now.
	Now func() time.Time
}

// Name returns Label or "smtp".
func (s *SMTP) Name() string {
	if s.Label != "" {
		return s.Label
	}
	return "smtp"
}

// smtpConfig is a validated SMTP configuration.
type smtpConfig struct {
	host   string
	from   *mail.Address
	policy StartTLSPolicy
}

// Validate checks the configuration without connecting.
func (s *SMTP) Validate() error {
	_, err := s.config()
	return err
}

func (s *SMTP) config() (*smtpConfig, error) {
	name := s.Name()
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil || host == "" {
		return nil, permanentf(name, ErrConfig, "Addr %q is not host:port", s.Addr)
	}
	if strings.TrimSpace(s.From) == "" {
		return nil, permanentf(name, ErrConfig, "From is empty")
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil || !safeAddress(from.Address) {
		return nil, permanentf(name, ErrConfig, "From %q is not an e-mail address", clip(textx.OneLine(s.From), 100))
	}
	if strings.ContainsAny(s.Hello, " \t\r\n") {
		return nil, permanentf(name, ErrConfig, "Hello %q is not a host name", clip(textx.OneLine(s.Hello), 100))
	}
	if strings.ContainsAny(s.Username+s.Password, "\x00\r\n") {
		return nil, permanentf(name, ErrConfig, "Username or Password contains NUL, CR or LF")
	}
	policy := s.StartTLS
	if policy == StartTLSDefault {
		policy = StartTLSOpportunistic
		if s.Username != "" {
			policy = StartTLSRequired
		}
	}
	if policy < StartTLSDefault || policy > StartTLSNever {
		return nil, permanentf(name, ErrConfig, "unknown StartTLS policy %d", int(policy))
	}
	return &smtpConfig{host: host, from: from, policy: policy}, nil
}

// safeAddress reports an addr-spec fit for an SMTP command: no controls,
// spaces or angle brackets, one '@' with text on both sides.
func safeAddress(a string) bool {
	if a == "" || len(a) > 254 || strings.ContainsFunc(a, func(r rune) bool {
		return r < 0x21 || r == 0x7f || r == '<' || r == '>' || textx.Invisible(r) || r == utf8.RuneError
	}) {
		return false
	}
	at := strings.LastIndexByte(a, '@')
	return at > 0 && at < len(a)-1
}

// Notify sends m as one e-mail.
func (s *SMTP) Notify(ctx context.Context, m *Message) (Delivery, error) {
	name := s.Name()
	if err := checkMessage(name, m, nil); err != nil {
		return Delivery{}, err
	}
	cfg, err := s.config()
	if err != nil {
		return Delivery{}, err
	}
	email := strings.TrimSpace(m.To.Email)
	if email == "" {
		return Delivery{}, permanentf(name, ErrMessage, "recipient %q has no e-mail address", clip(textx.OneLine(m.To.ID+" "+m.To.Name), 100))
	}
	to, err := mail.ParseAddress(email)
	if err != nil || to.Address != email || !safeAddress(to.Address) {
		return Delivery{}, permanentf(name, ErrMessage, "recipient e-mail %q is not an address", clip(textx.OneLine(email), 100))
	}
	now := clock(s.Now)
	msg, msgID := s.compose(m, cfg.from, to.Address, now)
	if err := ctx.Err(); err != nil {
		return Delivery{}, ctxError(name, err)
	}
	code, text, err := s.send(ctx, cfg, to.Address, msg, now)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return Delivery{}, ctxError(name, cerr)
		}
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			// The connection's deadline (set to ctx's) fired a moment
			// before ctx noticed.
			return Delivery{}, ctxError(name, context.DeadlineExceeded)
		}
		return Delivery{}, smtpError(name, err)
	}
	return Delivery{Ref: text, Status: code, ID: msgID}, nil
}

// smtpStepError is a failed step of the conversation.
type smtpStepError struct {
	step      string
	permanent bool // set for policy refusals, which have no reply code
	err       error
}

func (e *smtpStepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *smtpStepError) Unwrap() error { return e.err }

func step(name string, err error) error {
	if err == nil {
		return nil
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		err = &replyError{Code: te.Code, Msg: clip(textx.OneLine(te.Msg), 300)}
	}
	return &smtpStepError{step: name, err: err}
}

// replyError is an SMTP reply other than the one expected; Msg is made one
// line.
type replyError struct {
	Code int
	Msg  string
}

func (e *replyError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Msg) }

func refuse(stepName, format string, args ...any) error {
	return &smtpStepError{step: stepName, permanent: true, err: fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)}
}

// smtpError classifies a conversation failure: 5yz permanent, 4yz
// temporary, a policy refusal or certificate failure permanent, anything
// else (network, malformed reply) temporary.
func smtpError(name string, err error) *Error {
	e := &Error{Notifier: name, Err: err}
	var se *smtpStepError
	var re *replyError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &se) && se.permanent:
		e.Permanent = true
	case errors.As(err, &re):
		e.Status = re.Code
		e.Permanent = re.Code/100 != 4
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid):
		e.Permanent = true
	}
	return e
}

// send holds the conversation and returns the reply to the message data.
func (s *SMTP) send(ctx context.Context, cfg *smtpConfig, rcpt string, msg []byte, now time.Time) (int, string, error) {
	dial := s.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	conn, err := dial(dctx, "tcp", s.Addr)
	if err != nil {
		return 0, "", step("connect", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return 0, "", step("connect", err)
	}
	// Cancelling ctx unblocks any read or write at once.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	tlsOn := false
	if s.ImplicitTLS {
		tc := tls.Client(conn, s.tlsConfig(cfg.host))
		if err := tc.HandshakeContext(dctx); err != nil {
			return 0, "", step("TLS handshake", err)
		}
		conn, tlsOn = tc, true
	}
	c := textproto.NewConn(conn)
	if _, _, err := c.ReadResponse(220); err != nil {
		return 0, "", step("greeting", err)
	}
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	ext, err := ehlo(c, hello)
	if err != nil {
		return 0, "", err
	}
	if !tlsOn && cfg.policy != StartTLSNever {
		if _, ok := ext["STARTTLS"]; ok {
			if _, _, err := cmd(c, 220, "STARTTLS"); err != nil {
				return 0, "", step("STARTTLS", err)
			}
			tc := tls.Client(conn, s.tlsConfig(cfg.host))
			if err := tc.HandshakeContext(dctx); err != nil {
				return 0, "", step("STARTTLS handshake", err)
			}
			conn, tlsOn = tc, true
			c = textproto.NewConn(conn)
			if ext, err = ehlo(c, hello); err != nil {
				return 0, "", err
			}
		} else if cfg.policy == StartTLSRequired {
			return 0, "", refuse("STARTTLS", "server %s does not offer STARTTLS and the policy requires it", cfg.host)
		}
	}
	if s.Username != "" {
		if !tlsOn && !isLoopbackHost(cfg.host) {
			return 0, "", refuse("AUTH", "refusing to send credentials to %s without TLS", cfg.host)
		}
		if !slices.Contains(strings.Fields(strings.ToUpper(ext["AUTH"])), "PLAIN") {
			return 0, "", refuse("AUTH", "server %s does not offer AUTH PLAIN (AUTH %q)", cfg.host, clip(textx.OneLine(ext["AUTH"]), 100))
		}
		cred := base64.StdEncoding.EncodeToString([]byte("\x00" + s.Username + "\x00" + s.Password))
		if _, _, err := cmd(c, 235, "AUTH PLAIN %s", cred); err != nil {
			return 0, "", step("AUTH", err)
		}
	}
	utf8Addr := !isASCII(cfg.from.Address) || !isASCII(rcpt)
	if _, ok := ext["SMTPUTF8"]; utf8Addr && !ok {
		return 0, "", refuse("MAIL FROM", "an address is not ASCII and server %s does not offer SMTPUTF8", cfg.host)
	}
	mailCmd := "MAIL FROM:<" + cfg.from.Address + ">"
	if utf8Addr {
		mailCmd += " SMTPUTF8"
	}
	if _, _, err := cmd(c, 250, "%s", mailCmd); err != nil {
		return 0, "", step("MAIL FROM", err)
	}
	if _, _, err := cmd(c, 25, "RCPT TO:<%s>", rcpt); err != nil {
		return 0, "", step("RCPT TO", err)
	}
	if _, _, err := cmd(c, 354, "DATA"); err != nil {
		return 0, "", step("DATA", err)
	}
	w := c.DotWriter()
	if _, err := w.Write(msg); err != nil {
		return 0, "", step("DATA", err)
	}
	if err := w.Close(); err != nil {
		return 0, "", step("DATA", err)
	}
	code, text, err := c.ReadResponse(250)
	if err != nil {
		return 0, "", step("end of DATA", err)
	}
	// The message is accepted; QUIT is a courtesy whose failure changes nothing.
	_, _, _ = cmd(c, 221, "QUIT")
	return code, textx.OneLine(text), nil
}

func (s *SMTP) tlsConfig(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLS != nil {
		cfg = s.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// cmd sends one command and reads its reply, expecting code (a prefix: 25
// accepts 250 and 251).
func cmd(c *textproto.Conn, expect int, format string, args ...any) (int, string, error) {
	id, err := c.Cmd(format, args...)
	if err != nil {
		return 0, "", err
	}
	c.StartResponse(id)
	defer c.EndResponse(id)
	return c.ReadResponse(expect)
}

// ehlo greets the server and returns its extensions (keyword → parameters),
// falling back to HELO when EHLO is refused with 5yz.
func ehlo(c *textproto.Conn, hello string) (map[string]string, error) {
	_, msg, err := cmd(c, 250, "EHLO %s", hello)
	if err != nil {
		var te *textproto.Error
		if errors.As(err, &te) && te.Code/100 == 5 {
			if _, _, err := cmd(c, 250, "HELO %s", hello); err != nil {
				return nil, step("HELO", err)
			}
			return map[string]string{}, nil
		}
		return nil, step("EHLO", err)
	}
	ext := map[string]string{}
	lines := strings.Split(msg, "\n")
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, " ")
		ext[strings.ToUpper(k)] = v
	}
	return ext, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// MessageID is the Message-ID header the SMTP notifier sends for a message
// ID and sender domain: the same on every retry.
func MessageID(messageID, fromDomain string) string {
	sum := sha256.Sum256([]byte(messageID))
	domain := strings.ToLower(fromDomain)
	ok := domain != "" && len(domain) <= 253
	for i := 0; ok && i < len(domain); i++ {
		c := domain[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.'
	}
	if !ok || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		domain = "sigwatch.invalid"
	}
	return "<" + hex.EncodeToString(sum[:16]) + ".sigwatch@" + domain + ">"
}

// compose builds the RFC 5322 message with LF line ends (the DATA writer
// sends CR LF) and returns it with its Message-ID.
func (s *SMTP) compose(m *Message, from *mail.Address, rcpt string, now time.Time) ([]byte, string) {
	date := m.Time
	if date.IsZero() {
		date = now
	}
	fromDomain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	msgID := MessageID(m.ID, fromDomain)
	fromHdr := (&mail.Address{Name: clip(textx.OneLine(from.Name), 64), Address: from.Address}).String()
	toHdr := (&mail.Address{Name: clip(textx.OneLine(m.To.Name), 64), Address: rcpt}).String()
	var b bytes.Buffer
	header := func(k, v string) {
		b.WriteString(fold(k, v))
		b.WriteString("\n")
	}
	header("Date", date.Format(time.RFC1123Z))
	header("From", fromHdr)
	header("To", toHdr)
	header("Subject", encodeSubject(clip(subjectOf(m), 200)))
	header("Message-ID", msgID)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	if k := headerToken(m.Kind); k != "" {
		header("X-Sigwatch-Kind", k)
	}
	b.WriteString("\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = io.WriteString(qp, Text(m))
	_ = qp.Close()
	return b.Bytes(), msgID
}

// encodeSubject returns a one-line subject as is when it is printable
// ASCII without "=?", otherwise as RFC 2047 encoded words.
func encodeSubject(s string) string {
	plain := !strings.Contains(s, "=?")
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f
	}
	if plain {
		return s
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// headerToken keeps letters, digits, '.', '-' and '_' of s (at most 64).
func headerToken(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 64; i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fold writes "Name: value" folded at spaces so lines stay within 78
// characters where the words allow (RFC 5322 section 2.2.3). The value is
// already one line.
func fold(name, value string) string {
	line := name + ": " + value
	if len(line) <= 78 {
		return line
	}
	var b strings.Builder
	cur := 0
	for i, w := range strings.Split(line, " ") {
		if i > 0 {
			if cur+1+len(w) > 78 {
				b.WriteString("\n ")
				cur = 1
			} else {
				b.WriteByte(' ')
				cur++
			}
		}
		b.WriteString(w)
		cur += len(w)
	}
	return b.String()
}
