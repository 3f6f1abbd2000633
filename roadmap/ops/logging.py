"""Log records as one JSON object per line, the shape log collectors read without parsing rules."""

import logging
from datetime import UTC, datetime

import orjson

MESSAGE_MAX_CHARS = 1000


def logging_skip_unused_record_fields() -> None:
    """Stop `logging` gathering what JsonFormatter never writes (the logging HOWTO's
    "Optimization" section): the caller's file and line, which walks the stack on every record,
    and the thread, process and task names. The request log writes a line per request, so this
    is a measurable part of a page served from the cache."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.logAsyncioTasks = False


class JsonFormatter(logging.Formatter):
    """`time`, `level`, `logger`, `message`, then the record's `fields` (RequestLogMiddleware)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            # Request values can reach a message (a bad Host header): cap its length; orjson
            # escapes every control character, so one record stays one line.
            "message": record.getMessage()[:MESSAGE_MAX_CHARS],
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # orjson: a tenth of json.dumps's time, and a page served from the cache logs a line.
        return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


class WarningWithoutTraceback(logging.Filter):
    """For the noise every public site gets (a bot's bad Host header, a forged session cookie):
    one warning line, not an error with a traceback that buries real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
