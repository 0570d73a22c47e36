/* pdf_main.c - sgz-certificate-pdf: reads a certificate on standard input
 * (certificate_text.c) and writes it as a PDF to standard output; a
 * refusal is one line on standard error, exit status 1. sgz runs it
 * (certificate.c) so that pango, cairo, fontconfig and the fonts load in a
 * process of their own that ends with the certificate. Not for people:
 * sgz certificate is. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sgz/certificate.h"

int main(int argc, char **argv)
{
	struct certificate *c = NULL;
	struct sgz_err err;
	int rc = 1;

	(void)argv;
	sgz_err_clear(&err);
	if (argc != 1 || isatty(STDIN_FILENO) || isatty(STDOUT_FILENO)) {
		fputs("sgz-certificate-pdf is run by sgz (sgz certificate, p on a volunteer)\n",
		      stderr);
		return 2;
	}
	if (certificate_read_text(stdin, &c, &err) < 0 ||
	    certificate_pdf_draw(c, stdout, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("the PDF could not be written: write error\n", stderr);
		goto out;
	}
	rc = 0;
out:
	certificate_free(c);
	return rc;
}
