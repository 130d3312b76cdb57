package sshserver

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"enerflo-onboard/config"
)

// LoadHostKey reads the server's private host key from path, or, when
// there is no file yet, generates an ed25519 key and writes it there
// (0600, in a 0700 directory if it has to make one). Reusing the key across
// restarts keeps clients' known_hosts valid; a key file others can read is
// refused, as sshd refuses one (where mode bits mean something: see
// config.OpenToOthers), and so is a symbolic link, which whoever
// can change it could point at another key.
func LoadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	if err := RefuseSymlink("host key", path); err != nil {
		return nil, false, err
	}
	b, fi, err := config.ReadRegularFile(path, maxHostKeyBytes)
	var notRegular *config.NotRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s, err := createHostKey(path)
		return s, err == nil, err
	case errors.As(err, &notRegular):
		return nil, false, fmt.Errorf("the host key %w: give the path of the key file (it is generated there when missing)", err)
	case err != nil:
		return nil, false, fmt.Errorf("read the host key: %w", err)
	}
	if perm := fi.Mode().Perm(); config.OpenToOthers(perm) {
		return nil, false, fmt.Errorf("the host key %s can be read by other users (mode %04o): run chmod 600 %s", path, perm, path)
	}
	signer, err = gossh.ParsePrivateKey(b)
	if err != nil {
		var missing *gossh.PassphraseMissingError
		if errors.As(err, &missing) {
			return nil, false, fmt.Errorf("the host key %s is protected by a passphrase, which the server cannot type: use a key without one", path)
		}
		return nil, false, fmt.Errorf("the host key %s is not an OpenSSH private key: %w", path, err)
	}
	return signer, false, nil
}

// maxHostKeyBytes is far above any OpenSSH private key (an RSA 16384-bit
// one is under 13 KB).
const maxHostKeyBytes = 64 << 10

func createHostKey(path string) (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate a host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "enerflo-onboard host key")
	if err != nil {
		return nil, fmt.Errorf("encode the host key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the host key's directory: %w", err)
	}
	// O_EXCL: two servers started at once must not overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write the host key: %w", err)
	}
	_, werr := f.Write(pem.EncodeToMemory(block))
	if serr := f.Sync(); werr == nil {
		werr = serr
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("write the host key: %w", werr)
	}
	return gossh.NewSignerFromKey(priv)
}

// RefuseSymlink fails when path is a symbolic link: the server's files
// (the host key, the audit log) are named by the operator, and a link
// would let whoever can change it redirect them. A path that does not
// exist yet is fine.
func RefuseSymlink(what, path string) error {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	return fmt.Errorf("the %s %s is a symbolic link: give the path of the file itself", what, path)
}
