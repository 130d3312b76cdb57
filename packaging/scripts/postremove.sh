#!/bin/sh
# After the package is removed. On a deb purge, the API key and the drafts
# (people's names, emails, phones) go too; the host key and the audit log
# in /var/lib/enerflo-onboard stay, as records, until removed by hand. The
# account stays (its files may outlive the package).
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
case "$1" in
purge)
	rm -f /etc/enerflo-onboard/api-key
	rmdir /etc/enerflo-onboard 2>/dev/null || true
	rm -rf /var/lib/enerflo-onboard/drafts
	;;
esac
exit 0
