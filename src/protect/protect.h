/*
 * protect.h: the protection layer under the store. Include this one header
 * to get all four pieces:
 *
 *   keyring.h   a random 256-bit data key, held by each user wrapped under
 *               Argon2id(passphrase); per-user Ed25519 + X25519 key pairs;
 *               optional recovery key; passphrase input.
 *   sealvfs.h   SQLite VFS: every page of the database, WAL and journal
 *               sealed with XChaCha20-Poly1305 (nonce + tag in 40 reserved
 *               bytes per page, page number bound in); temp files encrypted.
 *   blobseal.h  original files sealed with secretstream, written atomically.
 *   logchain.h  signed, hash-chained change-log entries; protected fields
 *               sealed to each holder's X25519 key.
 *
 * How the store uses it (store folder: casebook.db, blobs/, keys):
 *
 *   init:  cb_keyring_create(&kr, &k, user, pass, n, NULL, recovery, &err);
 *          cb_keyring_save(kr, "DIR/keys", &err);         // before the db
 *          print the recovery key once (sodium_bin2hex), sodium_memzero it
 *   open:  cb_keyring_load(&kr, "DIR/keys", &err);
 *          cb_passphrase_read(&pw, &n, passfile, "Passphrase: ", &err);
 *          cb_keyring_unlock(&k, kr, user, pw, n, &err);  // CB_EAUTH -> exit 3
 *          cb_passphrase_free(pw);
 *          cb_keys_subkey(dbkey, k, CB_SUBKEY_DB);
 *          cb_sealvfs_register(vfsname, dbkey, &err);    // unique name per store
 *          sodium_memzero(dbkey, 32);
 *          cb_sealvfs_open(&db, "DIR/casebook.db", flags, vfsname, &err);
 *          PRAGMA journal_mode=WAL; PRAGMA temp_store=MEMORY;  (as now)
 *   errors: wherever the store turns an SQLite error into a cb_error, call
 *          cb_sealvfs_explain(db, err) first; if it returns < 0, use that
 *          (CB_EINTEGRITY -> exit 4, names file and page).
 *   blobs: cb_keys_subkey(blobkey, k, CB_SUBKEY_BLOB);
 *          cb_blobseal_write(path, blobkey, hash_hex, data, len, &err);
 *          cb_blobseal_read(&data, &len, path, blobkey, hash_hex, max, &err);
 *          (size check on "already there" must use cb_blobseal_sealed_size)
 *   log:   each row stores seq, time, user, action, target, detail, prev,
 *          sig; cb_log_sign with k->sign_sk and the previous row's
 *          cb_log_hash; verify streams rows through cb_log_verifier_step
 *          with the user's public key from cb_keyring_user().
 *   close: sqlite3_close(db); cb_sealvfs_unregister(vfsname, &err);
 *          cb_keys_free(k); cb_keyring_free(kr);
 *   verify: cb_sealvfs_verify(&pages, "DIR/casebook.db", vfsname, &err)
 *          plus every blob through cb_blobseal_read and the log chain.
 *
 * Threat model (details in docs/protection.md): a seized laptop or server
 * yields no plaintext of the database, WAL, journal, temp files or blobs;
 * altered, swapped or zeroed pages, frames and chunks are detected and
 * named; a wrong passphrase is CB_EAUTH. Not covered: a compromised machine
 * while the store is open (keys are in memory); rollback of whole files to
 * an older authentic state, and dropping the newest WAL frames or log
 * entries (detect with a head hash kept elsewhere); file sizes and access
 * patterns; the -shm file (page and frame numbers only).
 *
 * Ownership: every function states it in its own header; in short,
 * cb_keyring -> cb_keyring_free, cb_keys -> cb_keys_free (sodium memory),
 * passphrases -> cb_passphrase_free, sqlite3 handles -> sqlite3_close,
 * and every unsigned char ** buffer -> free().
 */
#ifndef CB_PROTECT_H
#define CB_PROTECT_H

#include "protect/blobseal.h"
#include "protect/keyring.h"
#include "protect/logchain.h"
#include "protect/sealvfs.h"

#endif
