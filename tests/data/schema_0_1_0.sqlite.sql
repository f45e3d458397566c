-- The store's schema as gongwen 0.1.0 (commit 1cf8d65, the last before migrations) made it
-- with Base.metadata.create_all on sqlite: where tests/test_migrations.py starts from.

CREATE TABLE files (
	id INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	name VARCHAR(512) NOT NULL, 
	path TEXT, 
	format VARCHAR(16) NOT NULL, 
	encoding VARCHAR(32), 
	size BIGINT NOT NULL, 
	pages INTEGER, 
	first_seen DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (sha256)
);

CREATE TABLE logs (
	id VARCHAR(200) NOT NULL, 
	text TEXT NOT NULL, 
	date DATE, 
	region VARCHAR(200), 
	unit VARCHAR(256), 
	author VARCHAR(200), 
	meta JSON NOT NULL, 
	tasks JSON NOT NULL, 
	risks JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_logs_date ON logs (date);

CREATE INDEX ix_logs_region ON logs (region);

CREATE TABLE alerts (
	id INTEGER NOT NULL, 
	log_id VARCHAR(200) NOT NULL, 
	risk VARCHAR(64) NOT NULL, 
	severity VARCHAR(16) NOT NULL, 
	evidence JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	acknowledged_at DATETIME, 
	acknowledged_by VARCHAR(200), 
	PRIMARY KEY (id), 
	FOREIGN KEY(log_id) REFERENCES logs (id) ON DELETE CASCADE
);

CREATE INDEX ix_alerts_log_id ON alerts (log_id);

CREATE INDEX ix_alerts_status ON alerts (status);

CREATE TABLE documents (
	id VARCHAR(64) NOT NULL, 
	file_sha256 VARCHAR(64) NOT NULL, 
	title TEXT, 
	issuer VARCHAR(256), 
	issuers JSON NOT NULL, 
	doc_number VARCHAR(128), 
	date DATE, 
	doc_type VARCHAR(32), 
	recipients JSON NOT NULL, 
	metadata JSON NOT NULL, 
	document JSON NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(file_sha256) REFERENCES files (sha256) ON DELETE CASCADE
);

CREATE INDEX ix_documents_date ON documents (date);

CREATE INDEX ix_documents_doc_type ON documents (doc_type);

CREATE INDEX ix_documents_file_sha256 ON documents (file_sha256);

CREATE INDEX ix_documents_issuer ON documents (issuer);

CREATE TABLE log_labels (
	log_id VARCHAR(200) NOT NULL, 
	kind VARCHAR(8) NOT NULL, 
	label VARCHAR(64) NOT NULL, 
	PRIMARY KEY (log_id, kind, label), 
	FOREIGN KEY(log_id) REFERENCES logs (id) ON DELETE CASCADE
);

CREATE INDEX ix_log_labels_label ON log_labels (label);

CREATE TABLE checklists (
	document_id VARCHAR(64) NOT NULL, 
	data JSON NOT NULL, 
	extractor_version VARCHAR(64), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (document_id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE TABLE document_files (
	document_id VARCHAR(64) NOT NULL, 
	file_sha256 VARCHAR(64) NOT NULL, 
	added_at DATETIME NOT NULL, 
	PRIMARY KEY (document_id, file_sha256), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	FOREIGN KEY(file_sha256) REFERENCES files (sha256) ON DELETE CASCADE
);

CREATE INDEX ix_document_files_file_sha256 ON document_files (file_sha256);

CREATE TABLE parts (
	id VARCHAR(96) NOT NULL, 
	document_id VARCHAR(64) NOT NULL, 
	ordinal INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	label VARCHAR(64), 
	title TEXT, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	page INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE INDEX ix_parts_document_id ON parts (document_id);

CREATE TABLE sections (
	id VARCHAR(96) NOT NULL, 
	document_id VARCHAR(64) NOT NULL, 
	part_id VARCHAR(96) NOT NULL, 
	ordinal INTEGER NOT NULL, 
	parent_id VARCHAR(96), 
	level INTEGER NOT NULL, 
	number VARCHAR(64) NOT NULL, 
	title TEXT NOT NULL, 
	path JSON NOT NULL, 
	path_text TEXT NOT NULL, 
	text TEXT NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	page INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	FOREIGN KEY(part_id) REFERENCES parts (id) ON DELETE CASCADE, 
	FOREIGN KEY(parent_id) REFERENCES sections (id) ON DELETE CASCADE
);

CREATE INDEX ix_sections_document_id ON sections (document_id);

CREATE INDEX ix_sections_parent_id ON sections (parent_id);

CREATE INDEX ix_sections_part_id ON sections (part_id);
