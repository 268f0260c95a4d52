/// The OpenAPI 3 description of the upload API, served at `GET /api/v1/openapi.yaml`. Kept in the
/// binary (no resource bundle to lose on deployment). It describes exactly what `UploadAPI`
/// implements; `UploadAPITests` checks the served copy with openapi-spec-validator when installed.
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.0.3
        info:
          title: Posteingang upload API
          version: "1.0.0"
          description: |
            Citizens' documents for the Jobcenter's E-Akte. One request is one document: one file, or
            several page files of one document (multipart). An upload is answered with 202 once its
            bytes are durably in the spool (fsync'd); reading, classifying and filing happen afterwards,
            and the status URL tells how far it got. Every error body is
            `{"code": "...", "message": {"de": "...", "en": "..."}}`.
        servers:
          - url: /
        security:
          - bearerToken: []
        paths:
          /api/v1/health:
            get:
              summary: Liveness check
              security: []
              responses:
                "200":
                  description: The server runs.
                  content:
                    text/plain:
                      schema: {type: string, example: ok}
          /api/v1/openapi.yaml:
            get:
              summary: This document
              security: []
              responses:
                "200":
                  description: The OpenAPI document.
                  content:
                    application/yaml:
                      schema: {type: string}
          /api/v1/uploads:
            post:
              summary: Upload one document
              description: |
                Either `multipart/form-data` with one or more `file` parts (the pages of ONE document, in
                order) and the optional fields `case`, `channel` and `note`, or a raw body (the file
                itself, any Content-Type; `case`, `channel`, `note` and `filename` then go in the query).
                The type is recognised from the content (magic bytes), not from the Content-Type header.
                Accepted: JPEG, PNG, TIFF, WebP, HEIC, PDF; several page files must be JPEG, PNG or PDF
                and are combined into one PDF (the files as sent are kept unchanged).
                A token bound to a household uploads to that household only (another `case` → 403).
                Otherwise `case` is a claim that the pipeline accepts only from a trusted channel or when
                the document's content confirms it. `channel` is the client's own sub-channel (e.g.
                `web-form`), recorded as the submitter's claim; the E-Akte channel and the audit trail's
                actor are always the token's client.
              parameters:
                - name: Idempotency-Key
                  in: header
                  required: false
                  description: |
                    1-255 visible ASCII characters. A retry with the same key (same token) and the same
                    content returns the first answer (header `Idempotent-Replayed: true`) and makes no
                    second upload; the same key with different content → 422; while the first request
                    with the key is still being answered → 409.
                  schema: {type: string, minLength: 1, maxLength: 255}
                - {name: case, in: query, required: false, description: "Raw bodies only: BG-Nummer or Kundennummer.", schema: {type: string, maxLength: 40}}
                - {name: channel, in: query, required: false, description: "Raw bodies only.", schema: {type: string, maxLength: 2000}}
                - {name: note, in: query, required: false, description: "Raw bodies only.", schema: {type: string, maxLength: 2000}}
                - {name: filename, in: query, required: false, description: "Raw bodies only: the file's name.", schema: {type: string}}
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema:
                      type: object
                      required: [file]
                      properties:
                        file:
                          type: array
                          minItems: 1
                          maxItems: 30
                          items: {type: string, format: binary}
                        case: {type: string, maxLength: 40, description: "BG-Nummer (e.g. 96301BG0012345) or Kundennummer"}
                        channel: {type: string, maxLength: 2000}
                        note: {type: string, maxLength: 2000}
                  application/pdf:
                    schema: {type: string, format: binary}
                  image/jpeg:
                    schema: {type: string, format: binary}
                  image/png:
                    schema: {type: string, format: binary}
                  image/tiff:
                    schema: {type: string, format: binary}
                  image/webp:
                    schema: {type: string, format: binary}
                  image/heic:
                    schema: {type: string, format: binary}
                  application/octet-stream:
                    schema: {type: string, format: binary}
              responses:
                "202":
                  description: Durably in the spool; follow `status_url`.
                  headers:
                    Location: {description: The status URL., schema: {type: string}}
                    Idempotent-Replayed: {description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.", schema: {type: string}}
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Accepted"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "409": {$ref: "#/components/responses/Conflict"}
                "413": {$ref: "#/components/responses/TooLarge"}
                "415": {$ref: "#/components/responses/UnsupportedType"}
                "422": {$ref: "#/components/responses/KeyReused"}
                "429": {$ref: "#/components/responses/RateLimited"}
                "405": {$ref: "#/components/responses/MethodNotAllowed"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/uploads/{id}:
            get:
              summary: Status of an upload
              description: |
                Only for the client that sent it (a token bound to a household: only that household's
                uploads). Unknown and foreign ids both answer 404. Never shows the document's content,
                its case or review reasons.
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, maxLength: 64}}
              responses:
                "200":
                  description: The status.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Status"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "405": {$ref: "#/components/responses/MethodNotAllowed"}
          /api/v1/requests:
            get:
              summary: Documents the Jobcenter still awaits from the household
              description: |
                Only for a token bound to a household (another token → 403 `not_case_bound`). Lists the
                documents a caseworker asked for that are not yet (completely) filed, earliest due date
                first: only each one's class and due date. `message` says the same in words.
              responses:
                "200":
                  description: The awaited documents (an empty list when none).
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/OpenRequests"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "403": {$ref: "#/components/responses/Forbidden"}
                "405": {$ref: "#/components/responses/MethodNotAllowed"}
        components:
          securitySchemes:
            bearerToken:
              type: http
              scheme: bearer
              description: "Issued by the operator: `posteingang tokens create --client NAME [--case BG] [--rate N]`."
          schemas:
            Message:
              type: object
              required: [de, en]
              properties:
                de: {type: string}
                en: {type: string}
            Error:
              type: object
              required: [code, message]
              properties:
                code:
                  type: string
                  description: |
                    unauthorized, malformed_multipart, invalid_idempotency_key, invalid_case, field_too_long,
                    too_many_files, empty_file, case_not_allowed, idempotency_key_in_use, too_large,
                    unsupported_type, unsupported_type_in_multi_file, unsupported_image, unreadable_pdf,
                    idempotency_key_reused, rate_limited, spool_unavailable, not_found, not_case_bound,
                    method_not_allowed, no_such_endpoint, internal_error
                message: {$ref: "#/components/schemas/Message"}
            State:
              type: string
              enum: [received, processing, filed, needs_review, refused]
            Accepted:
              type: object
              required: [upload_id, status, status_url, files, bytes, sha256, received_at, message]
              properties:
                upload_id: {type: string, example: u-3f2a9c0d1e2b4a5c6d7e}
                status: {$ref: "#/components/schemas/State"}
                status_url: {type: string, example: /api/v1/uploads/u-3f2a9c0d1e2b4a5c6d7e}
                files: {type: integer, description: Page files received.}
                bytes: {type: integer, description: Size of the file put into the spool.}
                sha256: {type: string, description: SHA-256 of the file put into the spool.}
                received_at: {type: string, format: date-time}
                message: {$ref: "#/components/schemas/Message"}
            Status:
              type: object
              required: [upload_id, status, status_url, files, bytes, sha256, received_at, message]
              properties:
                upload_id: {type: string}
                status: {$ref: "#/components/schemas/State"}
                status_url: {type: string}
                reason_code:
                  type: string
                  description: Only when refused (e.g. unsupported_format, corrupt, too_large, too_many_pages).
                files: {type: integer}
                bytes: {type: integer}
                sha256: {type: string}
                received_at: {type: string, format: date-time}
                message: {$ref: "#/components/schemas/Message"}
            OpenRequests:
              type: object
              required: [requests, message]
              properties:
                requests:
                  type: array
                  items:
                    type: object
                    required: [class, label, due]
                    properties:
                      class: {type: string, example: kontoauszug}
                      label: {type: string, description: The class's German name., example: Kontoauszug}
                      due: {type: string, format: date, example: "2025-04-24"}
                message: {$ref: "#/components/schemas/Message"}
          responses:
            BadRequest:
              description: Malformed multipart body, empty file, bad field or header.
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            Unauthorized:
              description: Missing, unknown or revoked token.
              headers:
                WWW-Authenticate: {schema: {type: string}}
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            Forbidden:
              description: A token bound to a household named another case, or a token bound to none asked for a household's requests.
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            Conflict:
              description: A request with the same Idempotency-Key is still being answered.
              headers:
                Retry-After: {schema: {type: integer}}
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            TooLarge:
              description: The body is larger than the server's limit (`serve --max-upload-mib`).
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            UnsupportedType:
              description: Not JPEG, PNG, TIFF, WebP, HEIC or PDF by content (or not combinable).
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            KeyReused:
              description: The Idempotency-Key was used before with different content.
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            RateLimited:
              description: More uploads than the token's rate per minute.
              headers:
                Retry-After: {schema: {type: integer}}
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            Unavailable:
              description: The spool cannot be written (disk full or not writable).
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            MethodNotAllowed:
              description: The path exists but does not take this method; `Allow` names the ones it takes.
              headers:
                Allow: {schema: {type: string}}
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
            NotFound:
              description: No such upload for this token.
              content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
        """#
}
