#!/bin/sh
# t160-server-drop: the server side.  tlsserver.py runs under the shim and
# a client drops mid-handshake: connects and closes (FIN), connects and
# resets (RST), sends a ClientHello then FIN.  The server reports what its
# own do_handshake() raised; the shim's server-role records must equal it.
# Debian's 3.11.2 (OP_IGNORE_UNEXPECTED_EOF set by default) sees the FINs
# as SSL_ERROR_ZERO_RETURN: SSLZeroReturnError, recorded as such by the
# shim too (the expect column pins that interpreter difference).
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons
make_pki

drops="fin rst hello-then-fin"

for py in pyenv debian; do
	case $py in
	pyenv)
		exe=$PY_PYENV
		set -- --expect raise:SSLEOFError \
		    --expect raise:ConnectionResetError --expect raise:SSLEOFError
		;;
	debian)
		exe=$PY_DEBIAN
		set -- --expect raise:SSLZeroReturnError \
		    --expect raise:ConnectionResetError \
		    --expect raise:SSLZeroReturnError
		;;
	esac
	for model in 3.11 3.13; do
		b=$tmp/$py.$model
		# 3.11: the shim detects the server's own 3.11; 3.13: override
		env=TLSDIAG_PYTHON=3.13
		[ "$model" = 3.11 ] && env=
		echo "server $py [model $model]"
		# shellcheck disable=SC2086
		start_server srv env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$b.log" \
		    $env "$exe" "$SRCPROGS/tlsserver.py" --mode ok --count 3 \
		    --cert "$PKI/good.pem" --key "$PKI/good.key" \
		    --report "$b.report"
		n=0
		for d in $drops; do
			"$HPY" "$SRCPROGS/dropclient.py" --port "$srv_port" \
			    --mode "$d" </dev/null || fail "dropclient $d failed"
			n=$((n + 1))
			wait_lines "$b.report" "$n"
		done
		wait_server srv
		save_log "$b.log"
		"$HPY" "$SRCPROGS/e2ecompare.py" compare --role server \
		    --truth "$b.report" --log "$b.log" --model "$model" "$@" ||
		    problem "server $py [model $model]: records differ"
	done
done
finish
