// Google's libphonenumber (npm google-libphonenumber, the JavaScript build
// of the Java library) as the reference of domain/validate_phone_test.go:
// one {"text", "region"} per line on stdin, one answer per line on stdout:
// {"parsed", "valid", "e164", "ext"}.
'use strict';
const readline = require('readline');
const lib = require('google-libphonenumber');
const util = lib.PhoneNumberUtil.getInstance();

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const { text, region } = JSON.parse(line);
  let answer = { parsed: false, valid: false, e164: '', ext: '' };
  try {
    const n = util.parse(text, region);
    answer = {
      parsed: true,
      valid: util.isValidNumber(n),
      e164: util.format(n, lib.PhoneNumberFormat.E164),
      ext: n.getExtension() || '',
    };
  } catch (e) {
    // not a number: parsed stays false
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
