#!/usr/bin/env bash
# Regenerates the throw-away test PKI of segur-xmldsig's tests (run once; outputs committed).
# Needs OpenSSL 3. Validity: 100 years from generation, so the files never expire in CI.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
ca_ext="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign"
leaf_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation"

ca() { # name subject
  openssl req -x509 -newkey rsa:2048 -sha256 -days $days -nodes -keyout "$1.key" -out "$1.pem" \
    -subj "$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
leaf() { # name issuer keyalg subject [multivalue]
  openssl req -utf8 -newkey "$3" -nodes -keyout "$1.key" -out "$1.csr" -subj "$4" ${5:-}
  printf '%s\n' "$leaf_ext" > leaf.ext
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days $days -sha256 \
    -extfile leaf.ext -out "$1.pem"
  rm -f "$1.csr" leaf.ext
}
ca ca "/C=FR/O=SEGUR TEST AC/CN=SEGUR TEST AC IGC-SANTE FAKE"
leaf leaf-rsa ca rsa:2048 "/C=FR/ST=Paris (75)/O=STRUCTURE TEST/OU=499900063480001/CN=DMP SIGN TEST"
openssl rsa -in leaf-rsa.key -traditional -out leaf-rsa-pkcs1.key
leaf leaf-ec ca ec:<(openssl ecparam -name prime256v1) "/C=FR/O=CENTRE DE SANTE TEST/OU=10B0127189/CN=EC SIGN TEST"
# a CPS-like subject: multi-valued RDN, UTF-8, characters that need RFC 2253 escaping
# the same EC key in the SEC1 form (`BEGIN EC PRIVATE KEY`)
openssl ec -in leaf-ec.key -out leaf-ec-sec1.key
leaf cps ca rsa:2048 "/C=FR/O=TEST, \"SANTE\"/OU=Médecin/CN=899900038839+SN=TRAL+GN=ADEMIS" -multivalue-rdn
ca other-ca "/C=FR/O=UNTRUSTED/CN=UNTRUSTED TEST AC"
leaf other-leaf other-ca rsa:2048 "/C=FR/O=UNTRUSTED/CN=DMP SIGN TEST"
# PKCS#12: OpenSSL 3 default (PBES2/AES-256, HMAC-SHA256) and the legacy 3DES/SHA1 form
openssl pkcs12 -export -inkey leaf-rsa.key -in leaf-rsa.pem -certfile ca.pem -passout pass:test -out leaf-rsa-aes.p12
openssl pkcs12 -export -inkey leaf-rsa.key -in leaf-rsa.pem -certfile ca.pem -passout pass:test \
  -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1 -out leaf-rsa-3des.p12
rm -f *.srl
