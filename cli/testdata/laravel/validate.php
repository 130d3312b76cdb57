<?php
// Laravel 8's own validator with the rules we take Enerflo's POST
// /api/v1/users to have (its API page's types and required marks), for
// cli/laravel_test.go. One process: a JSON body per line on stdin, its
// errors ({} when it passes) as one JSON line on stdout.
//
// Debian: apt-get install php-cli php-illuminate-validation
// (it brings php-email-validator and php-illuminate-translation).
require_once 'Illuminate/Validation/autoload.php';

use Illuminate\Translation\ArrayLoader;
use Illuminate\Translation\Translator;
use Illuminate\Validation\Factory;

$rules = [
    'email' => ['required', 'string', 'email'],
    'roles' => ['required', 'array'],
    'roles.*' => ['required', 'string'],
    // Marked required on the page, and "Defaults to false": the key must
    // be there; null means the default.
    'notify_email' => ['present', 'nullable', 'boolean'],
    'allow_optimus' => ['present', 'nullable', 'boolean'],
    'can_create_customers' => ['nullable', 'boolean'],
    'can_reassign_leads' => ['nullable', 'boolean'],
    'first_name' => ['nullable', 'string', 'max:255'],
    'last_name' => ['nullable', 'string', 'max:255'],
    'phone' => ['nullable', 'string', 'max:255'],
    'password' => ['nullable', 'string', 'min:8', 'max:255'],
    'timezone' => ['nullable', 'timezone'],
    'external_user_id' => ['nullable', 'string', 'max:255'],
    'manager_email' => ['nullable', 'string', 'email'],
    'manager_id' => ['nullable', 'integer'],
    'office_id' => ['nullable', 'string', 'max:255'],
];

// Laravel's global middleware runs before validation: TrimStrings (all
// but the password; Laravel 8 uses PHP's trim) and ConvertEmptyStringsToNull.
function middleware($value, $key)
{
    if (is_array($value)) {
        $out = [];
        foreach ($value as $k => $v) {
            $out[$k] = middleware($v, $k);
        }
        return $out;
    }
    if (is_string($value)) {
        if ($key !== 'password') {
            $value = trim($value);
        }
        return $value === '' ? null : $value;
    }
    return $value;
}

$factory = new Factory(new Translator(new ArrayLoader(), 'en'));
while (($line = fgets(STDIN)) !== false) {
    $body = json_decode($line, true);
    if (!is_array($body)) {
        echo json_encode(['error' => 'not a JSON object: ' . json_last_error_msg()]), "\n";
        continue;
    }
    $v = $factory->make(middleware($body, null), $rules);
    $errors = $v->errors()->toArray();
    echo json_encode((object) $errors, JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
