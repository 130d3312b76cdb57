#!/bin/sh
# deb postrm. On "purge", what is secret or personal goes: the API key and
# the drafts (people's names, emails, phones), with /etc/enerflo-onboard
# when nothing else is left in it, and deb-systemd-helper's record of the
# unit. The host key and the audit log in /var/lib/enerflo-onboard stay, as
# records, until removed by hand; so does the account (its files may
# outlive the package). README.md, "Uninstall", says the same.
set -e
if [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
case "$1" in
purge)
	if command -v deb-systemd-helper >/dev/null 2>&1; then
		deb-systemd-helper purge enerflo-onboard.service >/dev/null || true
	fi
	rm -f /etc/enerflo-onboard/api-key
	rmdir /etc/enerflo-onboard 2>/dev/null || true
	rm -rf /var/lib/enerflo-onboard/drafts
	;;
esac
exit 0
