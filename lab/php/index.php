<?php
// The seed's landing done right (Keitaro docs "Traffic source: HasOffers" [K16]): keep the subid in
// the PHP session, and on sign-up send the postback SERVER-side — the browser never sees it.
// The lab passes the tracker's address and postback key through the environment.
session_start();
if (isset($_GET['subid'])) {
    $_SESSION['subid'] = $_GET['subid'];
}

function h($s) { return htmlspecialchars((string) $s, ENT_QUOTES, 'UTF-8'); }

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    // The seed writes status=registratered (a typo); done right it is status=lead.
    $url = getenv('LAB_TRACKER_URL') . '/' . getenv('LAB_POSTBACK_KEY')
        . '/postback?cost=1&status=lead&sub_id_1=game1&subid=' . urlencode($_SESSION['subid'] ?? '');
    // The lab's tracker listens on 127.0.0.1; the Host header names it (tracker.example:PORT).
    $context = stream_context_create(['http' => [
        'header' => 'Host: ' . getenv('LAB_TRACKER_HOST') . "\r\n",
        'timeout' => 5,
        'ignore_errors' => true,
    ]]);
    @file_get_contents($url, false, $context);
    ?><!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head>
<body><h1>Thank you for signing up</h1>
<p>The postback was sent by this page's server; the browser did not see it.
See the tracker's <a href="//<?= h(getenv('LAB_TRACKER_HOST')) ?>/admin/logs/postbacks">received postbacks</a>.</p>
</body></html>
<?php
    exit;
}
?><!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign up (PHP landing)</title></head>
<body><h1>Sign up (PHP landing, session)</h1>
<p>Subid kept in the session: <code id="subid"><?= h($_SESSION['subid'] ?? '') ?></code></p>
<form method="post" action="index.php">
<label>Email <input type="email" name="email" autocomplete="off"></label>
<button type="submit" id="signup">Sign up</button>
</form>
</body></html>
