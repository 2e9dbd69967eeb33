<?php
// The seed's snippet as written (Keitaro docs "Traffic source: HasOffers" [K16]): it stores the subid
// inside `if (!headers_sent() && !session_id())` but never calls session_start(), so $_SESSION is a
// plain array that dies with the request and no session cookie is set (trap 6 of the reference).
if (!headers_sent() && !session_id()) {
    if (isset($_GET['subid'])) {
        $_SESSION['subid'] = $_GET['subid'];
    }
}

function h($s) { return htmlspecialchars((string) $s, ENT_QUOTES, 'UTF-8'); }

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    // As in the seed, including its status typo; the subid is empty because nothing was stored
    // (`?? ''` only keeps PHP's "undefined" warning out of the page).
    $url = getenv('LAB_TRACKER_URL') . '/' . getenv('LAB_POSTBACK_KEY')
        . '/postback?cost=1&status=registratered&sub_id_1=game1&subid=' . urlencode($_SESSION['subid'] ?? '');
    $context = stream_context_create(['http' => [
        'header' => 'Host: ' . getenv('LAB_TRACKER_HOST') . "\r\n",
        'timeout' => 5,
        'ignore_errors' => true,
    ]]);
    @file_get_contents($url, false, $context);
    ?><!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head>
<body><h1>Thank you for signing up</h1>
<p>The postback was sent by this page's server.
See the tracker's <a href="//<?= h(getenv('LAB_TRACKER_HOST')) ?>/admin/logs/postbacks">received postbacks</a>.</p>
</body></html>
<?php
    exit;
}
?><!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign up (PHP landing, broken)</title></head>
<body><h1>Sign up (PHP landing, session never started)</h1>
<p>Subid in $_SESSION during this request: <code id="subid"><?= h($_SESSION['subid'] ?? '') ?></code></p>
<form method="post" action="broken.php">
<label>Email <input type="email" name="email" autocomplete="off"></label>
<button type="submit" id="signup">Sign up</button>
</form>
</body></html>
